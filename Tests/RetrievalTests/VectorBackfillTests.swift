import Foundation
import PaperboyCore
import PaperboyTesting
import Retrieval
import StorageSQLite
import Synchronization
import Testing
import VectorIndex

/// The pass that computes missing vectors: every paper lacking one is embedded once, saved,
/// and added to the index; a pass limited per call keeps its place.
struct VectorBackfillTests {
    static func papers(_ count: Int) -> [Paper] {
        (1...count).map { SamplePapers.arxiv(String(format: "2606.%05d", $0), title: "Paper number \($0)") }
    }

    @Test func embedsSavesAndIndexesEveryPaperLackingAVector() async throws {
        let store = try PaperDatabase.inMemory()
        _ = try await store.upsert(Self.papers(5))
        let embedder = CountingEmbedder()
        var index = VectorSearcher(dimension: embedder.dimension)
        var backfill = VectorBackfill(store: store, embedder: embedder)
        let heard = Mutex<[Int]>([])
        let embedded = try await backfill.run(into: &index) { done in heard.withLock { $0.append(done) } }
        #expect(embedded == 5)
        #expect(backfill.isFinished)
        #expect(try await store.vectorCount(model: embedder.modelName) == 5)
        #expect(try await store.papersNeedingVectors(model: embedder.modelName, limit: 10).isEmpty)
        #expect(index.count == 5)
        #expect(index.store.vector(for: "2606.00003") == CountingEmbedder.vector(for: "Paper number 3"))
        #expect(heard.withLock { $0.last } == 5)
        #expect(embedder.texts == 5)

        var again = VectorBackfill(store: store, embedder: embedder)
        #expect(try await again.run(into: &index) == 0)
        #expect(again.isFinished)
        #expect(embedder.texts == 5)
    }

    /// A limited call stops at `limit`; the next goes on after the last paper it did.
    @Test func aLimitedPassKeepsItsPlace() async throws {
        let store = try PaperDatabase.inMemory()
        _ = try await store.upsert(Self.papers(5))
        let embedder = CountingEmbedder()
        var index = VectorSearcher(dimension: embedder.dimension)
        var backfill = VectorBackfill(store: store, embedder: embedder)
        #expect(try await backfill.run(into: &index, limit: 3) == 3)
        #expect(!backfill.isFinished)
        #expect(backfill.after?.rawValue == "2606.00003")
        #expect(index.count == 3)
        #expect(try await backfill.run(into: &index, limit: 3) == 2)
        #expect(backfill.isFinished)
        #expect(try await store.vectorCount(model: embedder.modelName) == 5)
        #expect(embedder.texts == 5)
    }
}

/// A stand-in model: a fixed unit vector per text (from its length and first letters), and a
/// count of the texts it was given.
private final class CountingEmbedder: TextEmbedder {
    private let count = Mutex(0)
    var modelName: String { "counting" }
    var dimension: Int { 4 }
    var texts: Int { count.withLock { $0 } }

    func embed(_ texts: [String]) throws -> [[Float]] {
        count.withLock { $0 += texts.count }
        return texts.map(Self.vector)
    }

    static func vector(for text: String) -> [Float] {
        let title = text.split(separator: "\n").first.map(String.init) ?? text
        let raw = [Float(title.count), Float(title.unicodeScalars.last?.value ?? 0), 1, 2]
        let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return raw.map { $0 / norm }
    }
}
