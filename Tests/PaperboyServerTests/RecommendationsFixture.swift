import Embedding
import Foundation
import Ingestion
import PaperboyCore
import PaperboyServer
import PaperboyTesting
import Retrieval
import SearchIndex
import StorageSQLite
import Testing
import VectorIndex

/// The five Hugging Face papers pages (335 real papers) embedded by the real model, once for
/// every recommendations suite; each test gets its own store of them with their vectors and
/// a catalog that searches by meaning, as `paperboy serve` has after `paperboy embed`.
final class RecommendationsFixture: Sendable {
    let embedder: SentenceEmbedder
    let papers: [Paper]
    let vectors: [[Float]]

    private init() async throws {
        let store = try PaperDatabase.inMemory()
        for page in try Fixtures.hfPages { _ = try await FileImporter(store: store).importFile(page) }
        embedder = try SentenceEmbedder(modelDirectory: Fixtures.modelDirectory)
        papers = try await store.papersNeedingVectors(model: embedder.modelName, after: nil, limit: 10_000)
        vectors = try embedder.embed(papers.map(\.embeddingText))
    }

    private static let shared = Task { try await RecommendationsFixture() }

    /// The shared papers, or nil (with an issue saying how to install it) without the model.
    static func loaded() async throws -> RecommendationsFixture? {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return nil
        }
        return try await shared.value
    }

    /// A fresh store of the papers and their vectors, and a catalog over it.
    func catalog() async throws -> (catalog: PaperCatalog, store: PaperDatabase) {
        let store = try PaperDatabase.inMemory()
        _ = try await store.upsert(papers)
        _ = try await store.saveVectors(zip(papers, vectors).map { PaperVector(paper: $0, vector: $1) }, model: embedder.modelName)
        var index = VectorSearcher(dimension: embedder.dimension)
        for (paper, vector) in zip(papers, vectors) { try index.add(key: paper.id.rawValue, vector: vector) }
        let engine = SearchEngine(store: store, keywordIndex: try await KeywordIndex.build(from: store),
                                  semanticIndex: SemanticIndex(embedder: embedder, vectors: index))
        return (PaperCatalog(store: store, engine: engine), store)
    }

    /// Stores `paper`, embeds it and swaps in an engine whose vector index holds it, as the
    /// server's refresher does for a paper harvested while it runs.
    func add(_ paper: Paper, to catalog: PaperCatalog) async throws {
        _ = try await catalog.store.upsert([paper])
        let vector = try embedder.embed([paper.embeddingText])[0]
        _ = try await catalog.store.saveVectors([PaperVector(paper: paper, vector: vector)], model: embedder.modelName)
        var engine = catalog.engine
        _ = try await engine.keywordIndex.catchUp(with: catalog.store)
        try engine.semanticIndex?.vectors.add(key: paper.id.rawValue, vector: vector)
        catalog.replaceEngine(engine)
    }

    /// The paper whose title starts with `prefix` (test data names papers by their titles).
    func paper(_ prefix: String) throws -> Paper {
        try #require(papers.first { $0.title.hasPrefix(prefix) }, "no page paper titled \(prefix)…")
    }

    /// Four papers on mixture-of-experts models, by title.
    static let mixtureOfExperts = [
        "A Survey on Mixture of Experts", "DeepSeekMoE", "Layerwise Recurrent Router for Mixture-of-Experts", "SE-MoE",
    ]
    /// Four papers on image diffusion models, by title.
    static let diffusion = [
        "Hyper-SD", "Multi-student Diffusion Distillation", "A-SDM", "Exact Diffusion Inversion",
    ]

    /// Whether a paper is about mixture-of-experts models, by its words.
    static func isAboutExperts(_ paper: Paper) -> Bool {
        let text = (paper.title + " " + paper.abstract).lowercased()
        return text.contains("expert") || text.range(of: #"\bmoe\b"#, options: .regularExpression) != nil
    }

    /// Whether a paper is about diffusion models, by its words.
    static func isAboutDiffusion(_ paper: Paper) -> Bool {
        let text = (paper.title + " " + paper.abstract).lowercased()
        return text.contains("diffusion")
    }

    /// A library of `tags`, each paper saved a minute after the one before.
    static func library(_ reader: Int64 = 1, revision: Int64, _ tags: [(String, [Paper])]) -> ReaderLibrary {
        var saved: [SavedPaper] = []
        for (tag, papers) in tags {
            for paper in papers {
                saved.append(SavedPaper(paper: paper.id, tag: tag,
                                        savedAt: Date(timeIntervalSince1970: 1_781_308_800 + Double(saved.count) * 60)))
            }
        }
        return ReaderLibrary(reader: ReaderID(rawValue: reader), revision: revision, saved: saved)
    }
}
