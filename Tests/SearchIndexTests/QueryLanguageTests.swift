import Foundation
import Ingestion
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing
import TextAnalysis
@testable import SearchIndex

/// The query language end to end on real papers: the five Hugging Face pages (titles and
/// abstracts) and 200 real arXiv snapshot records (authors, categories, dates).
@Suite struct QueryLanguageTests {
    struct Corpus: Sendable {
        let index: KeywordIndex
        let papers: [String: Paper]
    }

    /// Built once for the whole suite (the first test to ask builds it).
    actor Shared {
        static let instance = Shared()
        private var corpus: Corpus?

        func get() async throws -> Corpus {
            if let corpus { return corpus }
            let store = try PaperDatabase.inMemory()
            let files = try Fixtures.hfPages + [Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")]
            for file in files { _ = try await FileImporter(store: store).importFile(file) }
            let papers = try await store.papers(matching: PaperQuery(limit: 10_000))
            let built = Corpus(index: try await KeywordIndex.build(from: store),
                               papers: Dictionary(uniqueKeysWithValues: papers.map { ($0.id.rawValue, $0) }))
            corpus = built
            return built
        }
    }

    static func search(_ text: String, limit: Int = 1_000) async throws -> [Paper] {
        let corpus = try await Shared.instance.get()
        let compiled = corpus.index.compile(try QueryParser.parse(text))
        return corpus.index.search(compiled.query, limit: limit, days: compiled.days).compactMap { corpus.papers[$0.id] }
    }

    static func text(_ paper: Paper) -> String {
        (paper.title + " " + paper.abstract + " " + paper.authors.map(\.name).joined(separator: " ")).lowercased()
    }

    /// The indexed terms of a paper's title, abstract and authors.
    static func terms(_ paper: Paper) -> Set<String> {
        Set(TextAnalyzer.english.analyze(text(paper)).map(\.term))
    }

    @Test func wordsFindPapersInTitleAbstractAndAuthorsWithStemming() async throws {
        let hits = try await Self.search("mixture of experts routing", limit: 10)
        #expect(hits.count == 10)
        #expect(hits[0].title.contains("Mixture-of-Experts"))
        // "routing" also finds "route" and "routed": one stem.
        #expect(try await Self.search("routing").contains { Self.text($0).contains("routed") })
    }

    @Test func phraseMatchesOnlyAdjacentWords() async throws {
        let phrase = try await Self.search("\"speculative decoding\"")
        let words = try await Self.search("speculative decoding")
        #expect(!phrase.isEmpty && phrase.count < words.count)
        #expect(phrase.allSatisfy { Self.text($0).contains("speculative decoding") })
    }

    @Test func excludedWordsAndRequiredWordsAreHonoured() async throws {
        let all = try await Self.search("diffusion")
        let withoutVideo = try await Self.search("diffusion -video")
        #expect(!withoutVideo.isEmpty && withoutVideo.count < all.count)
        #expect(withoutVideo.allSatisfy { !Self.terms($0).contains("video") })
        let required = try await Self.search("+diffusion +video")
        #expect(!required.isEmpty && required.allSatisfy { Self.text($0).contains("diffusion") && Self.text($0).contains("video") })
        let either = try await Self.search("diffusion OR video")
        #expect(either.count > all.count)
        let grouped = try await Self.search("(diffusion OR video) AND NOT image")
        // "image" and "images" are one stem; "imagenet" is another word.
        #expect(!grouped.isEmpty && grouped.allSatisfy { !Self.terms($0).contains("imag") })
    }

    @Test func fieldsRestrictWhereAWordIsSought() async throws {
        let inTitle = try await Self.search("title:diffusion")
        #expect(!inTitle.isEmpty && inTitle.allSatisfy { $0.title.lowercased().contains("diffusion") })
        let byAuthor = try await Self.search("author:Streinu")
        #expect(byAuthor.map(\.title) == ["Sparsity-certifying Graph Decompositions"])
    }

    @Test func categoryAndDateFiltersRestrictWithoutScoring() async throws {
        let quantum = try await Self.search("cat:quant-ph")
        #expect(quantum.count == (try await Shared.instance.get()).papers.values.filter { $0.categories.contains("quant-ph") }.count)
        let archive = try await Self.search("cat:cond-mat")
        #expect(archive.count == (try await Shared.instance.get()).papers.values.filter { $0.categories.contains { $0.hasPrefix("cond-mat") } }.count)
        let filtered = try await Self.search("quantum cat:quant-ph")
        #expect(!filtered.isEmpty && filtered.allSatisfy { $0.categories.contains("quant-ph") && Self.text($0).contains("quantum") })
        // The snapshot papers are from 2007; the pages' papers carry no date and never pass a date filter.
        #expect(try await Self.search("since:2007-01-01 until:2007-12-31").count == 200)
        #expect(try await Self.search("since:2008-01-01").isEmpty)
    }

    @Test func prefixAndTechnicalTokensAreFound() async throws {
        let prefix = try await Self.search("transform*")
        #expect(prefix.contains { Self.text($0).contains("transformers") })
        // GPT-4, GPT 4 and GPT4 are one model to a reader.
        let gpt4 = try await Self.search("GPT-4", limit: 50)
        let spellings = ["gpt-4", "gpt 4", "gpt4"]
        #expect(!gpt4.isEmpty && gpt4.allSatisfy { paper in spellings.contains { Self.text(paper).contains($0) } })
        // Written without the hyphen, the compound still finds the hyphenated papers.
        #expect(Set(try await Self.search("gpt4", limit: 50).map(\.id)).isSuperset(of: gpt4.map(\.id)))
        // "CIFAR-10" matches whole; its part "10" alone does not make a paper match.
        let cifar = try await Self.search("CIFAR-10")
        #expect(!cifar.isEmpty && cifar.allSatisfy { Self.text($0).contains("cifar") })
    }

    @Test func stopWordsAreDroppedOnlyBesideOtherWords() async throws {
        let compiled = (try await Shared.instance.get()).index.compile(try QueryParser.parse("the routing of experts"))
        guard case let .boolean(_, optional, _) = compiled.query else { Issue.record("not a boolean"); return }
        #expect(optional.count == 2)
        #expect(!(try await Self.search("the")).isEmpty)
    }

    @Test func pastedTitlesFindThemselvesFirst() async throws {
        let titles = (try await Shared.instance.get()).papers.values.map(\.title).sorted().prefix(100)
        var first = 0
        for title in titles {
            if try await Self.search(title, limit: 1).first?.title == title { first += 1 }
        }
        #expect(first >= 95, "\(first) of \(titles.count) titles ranked themselves first")
    }
}
