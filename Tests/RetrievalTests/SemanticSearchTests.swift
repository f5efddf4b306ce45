import Foundation
import Ingestion
import PaperboyCore
import PaperboyTesting
import SearchIndex
import StorageSQLite
import Testing
import VectorIndex
@testable import Embedding
@testable import Retrieval

/// Search by meaning and hybrid search over the real Hugging Face pages, embedded by the real
/// model: filters and operators hold in every mode, and similar papers leave out the paper.
@Suite(.serialized) struct SemanticSearchTests {
    /// The seed papers with their vectors, built once for the suite.
    final class Seed: Sendable {
        let store: PaperDatabase
        let keywordIndex: KeywordIndex
        let semantic: SemanticIndex
        let papers: [Paper]

        init() async throws {
            store = try PaperDatabase.inMemory()
            // Hugging Face pages (titles and abstracts only) and arXiv snapshot records (with
            // categories and dates, for the filters).
            for file in try Fixtures.hfPages.prefix(2) + [Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")] {
                _ = try await FileImporter(store: store).importFile(file)
            }
            keywordIndex = try await KeywordIndex.build(from: store)
            var papers: [Paper] = []
            while true {
                let page = try await store.papersNeedingVectors(model: "all-MiniLM-L6-v2", after: papers.last?.id, limit: 500)
                if page.isEmpty { break }
                papers += page
            }
            let embedder = try SentenceEmbedder(modelDirectory: Fixtures.modelDirectory)
            let vectors = try embedder.embed(papers.map(\.embeddingText))
            _ = try await store.saveVectors(zip(papers, vectors).map { PaperVector(paper: $0, vector: $1) }, model: embedder.modelName)
            var index = VectorStore(dimension: embedder.dimension)
            for (paper, vector) in zip(papers, vectors) { try index.add(key: paper.id.rawValue, vector: vector) }
            semantic = SemanticIndex(embedder: embedder, vectors: VectorSearcher(store: index))
            self.papers = papers
        }

        static let shared = Task { try await Seed() }
    }

    static func engine(semantic: Bool = true) async throws -> (SearchEngine, Seed)? {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return nil
        }
        let seed = try await Seed.shared.value
        return (SearchEngine(store: seed.store, keywordIndex: seed.keywordIndex, semanticIndex: semantic ? seed.semantic : nil), seed)
    }

    @Test func hybridIsTheDefaultWithAModelAndKeywordWithout() async throws {
        guard let (engine, seed) = try await Self.engine() else { return }
        #expect(engine.defaultMode == .hybrid)
        let keywordOnly = SearchEngine(store: seed.store, keywordIndex: seed.keywordIndex)
        #expect(keywordOnly.defaultMode == .keyword)
        await #expect(throws: SearchUnavailable.self) { try await keywordOnly.search("diffusion", mode: .semantic) }
        let hits = try await keywordOnly.search("diffusion")
        #expect(!hits.isEmpty)
    }

    /// A question sharing no word with a paper's title or abstract finds it by meaning.
    @Test(arguments: [
        ("AI systems deceiving their developers to pursue hidden goals", "Frontier Models are Capable of In-context Scheming"),
        ("overview of ways to speed up sparse expert networks when serving them",
         "A Survey on Inference Optimization Techniques for Mixture of Experts Models"),
    ])
    func aParaphraseFindsThePaperByMeaning(query: String, title: String) async throws {
        guard let (engine, seed) = try await Self.engine() else { return }
        let target = try #require(seed.papers.first { $0.title == title })
        for mode in [SearchMode.semantic, .hybrid] {
            let hits = try await engine.search(query, mode: mode, limit: 3)
            #expect(hits.contains { $0.paper.id == target.id }, "\(mode): \(hits.map(\.paper.title))")
        }
        // The paper's own title ranks it first by meaning: the stored vector is its own.
        let own = try await engine.search(target.title, mode: .semantic, limit: 1)
        #expect(own.first?.paper.id == target.id)
    }

    @Test func categoryDateAndAuthorFiltersHoldInEveryMode() async throws {
        guard let (engine, seed) = try await Self.engine() else { return }
        let category = try #require(seed.papers.compactMap(\.primaryCategory).mostCommon)
        let paper = try #require(seed.papers.first { $0.primaryCategory == category && $0.published != nil && $0.authors.count > 1 })
        let day = Self.day(try #require(paper.published))
        let author = try #require(paper.authors[0].name.split(separator: " ").last)
        for mode in SearchMode.allCases {
            let inCategory = try await engine.search("\(paper.title) cat:\(category)", mode: mode, limit: 20)
            #expect(inCategory.contains { $0.paper.id == paper.id }, "\(mode)")
            #expect(inCategory.allSatisfy { $0.paper.categories.contains(category) }, "\(mode): only \(category) papers")
            let outside = try await engine.search("\(paper.title) -cat:\(category)", mode: mode, limit: 20)
            #expect(outside.allSatisfy { !$0.paper.categories.contains(category) }, "\(mode): no \(category) paper")
            let dated = try await engine.search("\(paper.title) since:\(day) until:\(day)", mode: mode, limit: 20)
            #expect(dated.contains { $0.paper.id == paper.id }, "\(mode)")
            #expect(dated.allSatisfy { $0.paper.published.map(Self.day) == day }, "\(mode): only papers of \(day)")
            let byAuthor = try await engine.search("\(paper.title) +author:\(author)", mode: mode, limit: 20)
            #expect(byAuthor.contains { $0.paper.id == paper.id }, "\(mode)")
            #expect(byAuthor.allSatisfy { $0.paper.authors.contains { $0.name.localizedCaseInsensitiveContains(author) } },
                    "\(mode): every hit has \(author) among its authors")
        }
    }

    static func day(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    @Test func excludedAndRequiredWordsHoldInEveryMode() async throws {
        guard let (engine, _) = try await Self.engine() else { return }
        for mode in SearchMode.allCases {
            let without = try await engine.search("video generation -diffusion", mode: mode, limit: 20)
            #expect(!without.isEmpty, "\(mode)")
            for hit in without {
                let text = (hit.paper.title + " " + hit.paper.abstract).lowercased()
                #expect(!text.contains("diffusion"), "\(mode): \(hit.paper.title)")
            }
            let with = try await engine.search("+agent planning", mode: mode, limit: 20)
            #expect(!with.isEmpty, "\(mode)")
            #expect(with.allSatisfy { ($0.paper.title + " " + $0.paper.abstract + " " + $0.paper.authors.map(\.name).joined(separator: " ")).lowercased().contains("agent") },
                    "\(mode): every hit has the required word")
        }
    }

    @Test func similarPapersLeaveOutThePaperAndItsOtherRecords() async throws {
        guard let (engine, seed) = try await Self.engine() else { return }
        let paper = seed.papers[seed.papers.count / 2]
        let hits = try await engine.similar(to: paper, limit: 10)
        #expect(hits.count == 10)
        #expect(!hits.contains { $0.paper.id == paper.id })
        // The nearest papers by meaning are among them.
        let vector = try #require(seed.semantic.vectors.store.vector(for: paper.id.rawValue))
        let nearest = seed.semantic.vectors.search(vector, k: 4).map(\.key).filter { $0 != paper.id.rawValue }
        #expect(nearest.contains { id in hits.contains { $0.paper.id.rawValue == id } })

        // Another record of the same paper (same title, under a DOI id) is not "similar".
        let twin = Paper(id: try #require(PaperID(doi: "10.5555/twin.\(paper.id.rawValue)")), title: paper.title,
                         abstract: paper.abstract, sources: [.arxivAPI])
        let store = try PaperDatabase.inMemory()
        _ = try await store.upsert(seed.papers + [twin])
        var vectors = seed.semantic.vectors
        try vectors.add(key: twin.id.rawValue, vector: vector)
        var index = seed.keywordIndex
        var caches = AnalysisCaches()
        index.add([IndexDocument(paper: twin, caches: &caches)])
        let withTwin = SearchEngine(store: store, keywordIndex: index,
                                    semanticIndex: SemanticIndex(embedder: seed.semantic.embedder, vectors: vectors))
        let twinHits = try await withTwin.similar(to: paper, limit: 10)
        #expect(!twinHits.contains { $0.paper.id == twin.id || $0.paper.id == paper.id })

        let filtered = try await engine.similar(to: paper, limit: 5, filters: "cat:\(paper.primaryCategory ?? "cs.CL")")
        #expect(filtered.allSatisfy { $0.paper.categories.contains(paper.primaryCategory ?? "cs.CL") })
    }
}

extension Array where Element: Hashable {
    var mostCommon: Element? {
        Dictionary(map { ($0, 1) }, uniquingKeysWith: +).max { $0.value < $1.value }?.key
    }
}
