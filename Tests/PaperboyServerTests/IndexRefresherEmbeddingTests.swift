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
import Embedding

/// A running server embeds the papers stored after it started, so they are found by meaning
/// without `paperboy embed`; embedding goes a bounded page at a time, and never holds up
/// the keyword catch-up.
@Suite(.serialized) struct IndexRefresherEmbeddingTests {
    /// One Hugging Face papers page embedded by the real model, once for the suite; each
    /// test gets its own store holding those papers and their vectors.
    final class Seed: Sendable {
        let embedder: SentenceEmbedder
        let papers: [Paper]
        let vectors: [[Float]]

        init() async throws {
            let store = try PaperDatabase.inMemory()
            _ = try await FileImporter(store: store).importFile(try #require(Fixtures.hfPages.first))
            embedder = try SentenceEmbedder(modelDirectory: Fixtures.modelDirectory)
            papers = try await store.papersNeedingVectors(model: embedder.modelName, after: nil, limit: 10_000)
            vectors = try embedder.embed(papers.map(\.embeddingText))
        }

        static let shared = Task { try await Seed() }
    }

    /// A store of the seed papers, every one with its vector, and a catalog over it with both
    /// halves of search.
    static func catalog() async throws -> (catalog: PaperCatalog, store: PaperDatabase, model: String)? {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return nil
        }
        let seed = try await Seed.shared.value
        let store = try PaperDatabase.inMemory()
        _ = try await store.upsert(seed.papers)
        let model = seed.embedder.modelName
        _ = try await store.saveVectors(zip(seed.papers, seed.vectors).map { PaperVector(paper: $0, vector: $1) }, model: model)
        var vectors = VectorSearcher(dimension: seed.embedder.dimension)
        for (paper, vector) in zip(seed.papers, seed.vectors) { try vectors.add(key: paper.id.rawValue, vector: vector) }
        let engine = SearchEngine(store: store, keywordIndex: try await KeywordIndex.build(from: store),
                                  semanticIndex: SemanticIndex(embedder: seed.embedder, vectors: vectors,
                                                               sequence: try await store.vectorSequence()))
        return (PaperCatalog(store: store, engine: engine), store, model)
    }

    static let beehives = SamplePapers.arxiv(
        "2606.04321", title: "Listening to hives",
        abstract: "Cheap microphones placed inside beehives record the buzzing of the colony, and a small classifier warns beekeepers days before the bees swarm.",
        categories: ["eess.AS"])
    static let byMeaning = SearchRequest(query: "predicting from sound when a honeybee colony is about to leave its nest", mode: .semantic)

    /// A paper stored while the server runs is embedded on the next tick and ranks first for
    /// a paraphrase of its abstract; the tick after embeds nothing.
    @Test func aPaperStoredWhileServingIsFoundByMeaningAfterATick() async throws {
        guard let (catalog, store, model) = try await Self.catalog() else { return }
        let refresher = IndexRefresher(catalog: catalog)
        var embedding = VectorCatchUp()
        #expect(await Self.tick(refresher, &embedding) == [0, 0])
        let stored = try await store.vectorCount(model: model)

        _ = try await store.upsert([Self.beehives])
        #expect(try await !catalog.search(Self.byMeaning).hits.contains { $0.paper.id == Self.beehives.id })
        #expect(await Self.tick(refresher, &embedding) == [1, 1])
        #expect(try await store.vectorCount(model: model) == stored + 1)
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).isEmpty)
        #expect(catalog.engine.semanticIndex?.vectors.count == stored + 1)
        #expect(try await catalog.search(Self.byMeaning).hits.first?.paper.id == Self.beehives.id)

        #expect(await Self.tick(refresher, &embedding) == [0, 0])
        #expect(try await store.vectorCount(model: model) == stored + 1)
    }

    /// A new version with another abstract drops the paper's stored vector; the next tick
    /// embeds the new text and replaces the vector in the index, so the paper is found by its
    /// new meaning.
    @Test func aChangedAbstractIsEmbeddedAgain() async throws {
        guard let (catalog, store, model) = try await Self.catalog() else { return }
        let refresher = IndexRefresher(catalog: catalog)
        var embedding = VectorCatchUp()
        let first = SamplePapers.arxiv("2606.04321", version: 1, title: "Notes from the field")
        _ = try await store.upsert([first])
        #expect(await Self.tick(refresher, &embedding) == [1, 1])
        let stored = try await store.vectorCount(model: model)
        #expect(try await catalog.search(Self.byMeaning).hits.first?.paper.id != first.id)

        _ = try await store.upsert([SamplePapers.arxiv("2606.04321", version: 2, title: "Notes from the field",
                                                       abstract: Self.beehives.abstract)])
        #expect(try await store.vectorCount(model: model) == stored - 1)
        #expect(await Self.tick(refresher, &embedding) == [1, 1])
        #expect(try await store.vectorCount(model: model) == stored)
        #expect(catalog.engine.semanticIndex?.vectors.count == stored)
        #expect(try await catalog.search(Self.byMeaning).hits.first?.paper.id == first.id)
    }

    /// At most `limit` papers a tick, the next tick going on where the last stopped.
    @Test func aTickEmbedsABoundedPage() async throws {
        guard let (catalog, store, model) = try await Self.catalog() else { return }
        var embedding = VectorCatchUp()
        let stored = try await store.vectorCount(model: model)
        let papers = (1...3).map { SamplePapers.arxiv("2606.0432\($0)", title: "Listening to hives, part \($0)") }
        _ = try await store.upsert(papers)
        _ = try await catalog.refresh()
        var counts: [Int] = []
        for _ in 0..<3 { counts.append(try await catalog.embedMissingVectors(&embedding, limit: 2)) }
        #expect(counts == [2, 1, 0])
        #expect(try await store.vectorCount(model: model) == stored + 3)
        #expect(catalog.engine.semanticIndex?.vectors.count == stored + 3)
    }

    /// An embedder that fails leaves the keyword catch-up alone: the paper is found by its
    /// words, and the embedding is tried again on the next tick.
    @Test func aFailingEmbedderDoesNotStopTheKeywordCatchUp() async throws {
        let store = try PaperDatabase.inMemory()
        let engine = SearchEngine(store: store, keywordIndex: try await KeywordIndex.build(from: store),
                                  semanticIndex: SemanticIndex(embedder: FailingEmbedder(), vectors: VectorSearcher(dimension: 4)))
        let catalog = PaperCatalog(store: store, engine: engine)
        let refresher = IndexRefresher(catalog: catalog)
        var embedding = VectorCatchUp()
        _ = try await store.upsert([Self.beehives])
        #expect(await Self.tick(refresher, &embedding) == [1, 0])
        let hits = try await catalog.search(SearchRequest(query: "beehives buzzing", mode: .keyword)).hits
        #expect(hits.map(\.paper.id) == [Self.beehives.id])
        #expect(try await store.papersNeedingVectors(model: FailingEmbedder().modelName, limit: 10).map(\.id) == [Self.beehives.id])
        do {
            _ = try await catalog.embedMissingVectors(&embedding)
            Issue.record("the failing embedder was not asked again")
        } catch is FailingEmbedder.Failure {}
    }

    /// One refresher tick: [papers the keyword index took in, papers embedded].
    /// A paper another process stored with its vector (another node, `paperboy embed`) is
    /// found by meaning after the next tick, which embeds nothing: the server takes in the
    /// vector saved elsewhere instead of waiting for a restart.
    @Test func aVectorSavedElsewhereIsTakenInAtTheNextTick() async throws {
        guard let (catalog, store, model) = try await Self.catalog() else { return }
        let refresher = IndexRefresher(catalog: catalog)
        var embedding = VectorCatchUp()
        #expect(await Self.tick(refresher, &embedding) == [0, 0])
        let indexed = try #require(catalog.engine.semanticIndex?.vectors.count)

        let embedder = try await Seed.shared.value.embedder
        _ = try await store.upsert([Self.beehives])
        let vector = try embedder.embed([Self.beehives.embeddingText])[0]
        #expect(try await store.saveVectors([PaperVector(paper: Self.beehives, vector: vector)], model: model) == 1)
        #expect(await Self.tick(refresher, &embedding) == [1, 0])
        #expect(catalog.engine.semanticIndex?.vectors.count == indexed + 1)
        #expect(catalog.engine.semanticIndex?.sequence == (try await store.vectorSequence()))
        #expect(try await catalog.search(Self.byMeaning).hits.first?.paper.id == Self.beehives.id)
        #expect(try await catalog.followVectors() == 0)
    }

    static func tick(_ refresher: IndexRefresher, _ embedding: inout VectorCatchUp) async -> [Int] {
        let done = await refresher.refresh(&embedding)
        return [done.papers, done.embedded]
    }
}

/// A model that cannot embed anything.
private struct FailingEmbedder: TextEmbedder {
    struct Failure: Error {}
    var modelName: String { "failing" }
    var dimension: Int { 4 }
    func embed(_ texts: [String]) throws -> [[Float]] { throw Failure() }
}
