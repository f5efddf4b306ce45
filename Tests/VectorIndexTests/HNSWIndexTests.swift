import Synchronization
import Testing
@testable import VectorIndex

struct HNSWIndexTests {
    /// Small enough for a debug build (the index target is unoptimized there), large enough
    /// that the graph has several layers and a search visits a small part of it.
    static let dimension = 48

    static func recall(_ index: HNSWIndex, _ keyed: [(key: String, vector: [Float])], queries: [[Float]], ef: Int) -> Double {
        var hits = 0
        for query in queries {
            let truth = Set(TestVectors.bruteForce(query, keyed, k: 10))
            hits += index.search(query, k: 10, ef: ef).filter { truth.contains($0.key) }.count
        }
        return Double(hits) / Double(queries.count * 10)
    }

    @Test func recallAtTenIsAtLeast95PercentOnClusteredVectors() throws {
        var generator = TestVectors(seed: 21)
        // Queries are drawn with the base vectors (same cluster centres), then held out.
        let all = generator.clustered(count: 4_050, dimension: Self.dimension, clusters: 40)
        let keyed = TestVectors.keyed(Array(all[..<4_000]))
        var store = VectorStore(dimension: Self.dimension)
        for (key, vector) in keyed { try store.add(key: key, vector: vector) }
        let index = HNSWIndex(store: store, parameters: HNSWParameters(m: 12, efConstruction: 64), threads: 2)
        let queries = Array(all[4_000...])
        #expect(Self.recall(index, keyed, queries: queries, ef: 64) >= 0.95)
    }

    /// A large build tells how far it has come, in order, on one thread or several.
    @Test(arguments: [1, 2]) func buildReportsProgress(threads: Int) throws {
        var generator = TestVectors(seed: 24)
        var store = VectorStore(dimension: 8)
        for (key, vector) in TestVectors.keyed(generator.uniform(count: 25_000, dimension: 8)) {
            try store.add(key: key, vector: vector)
        }
        let reports = Mutex<[Int]>([])
        _ = HNSWIndex(store: store, parameters: HNSWParameters(m: 4, efConstruction: 8), threads: threads) { linked in
            reports.withLock { $0.append(linked) }
        }
        let seen = reports.withLock { $0 }
        #expect(seen.count >= 2)
        #expect(seen == seen.sorted())
        #expect((seen.last ?? 0) >= 20_000 && (seen.last ?? 0) <= 25_000)
    }

    @Test func singleThreadedBuildIsReproducible() throws {
        var generator = TestVectors(seed: 22)
        let keyed = TestVectors.keyed(generator.uniform(count: 600, dimension: 16))
        var a = HNSWIndex(dimension: 16, parameters: HNSWParameters(m: 8, efConstruction: 32))
        var b = HNSWIndex(dimension: 16, parameters: HNSWParameters(m: 8, efConstruction: 32))
        for (key, vector) in keyed {
            try a.add(key: key, vector: vector)
            try b.add(key: key, vector: vector)
        }
        for query in generator.uniform(count: 10, dimension: 16) {
            #expect(a.search(query, k: 5) == b.search(query, k: 5))
        }
    }

    @Test func incrementalAddDeleteAndReAdd() throws {
        var generator = TestVectors(seed: 23)
        let keyed = TestVectors.keyed(generator.clustered(count: 800, dimension: 16, clusters: 10))
        var index = HNSWIndex(dimension: 16, parameters: HNSWParameters(m: 8, efConstruction: 48, efSearch: 48))
        try index.add(Array(keyed[0..<400]), threads: 2)
        for (key, vector) in keyed[400...] { try index.add(key: key, vector: vector) }
        #expect(index.count == 800)
        #expect(index.search(keyed[650].vector, k: 1).first?.key == "p650")
        for i in stride(from: 0, to: 800, by: 2) {
            let removed = index.remove(key: "p\(i)")
            #expect(removed)
        }
        #expect(index.count == 400)
        for i in stride(from: 0, to: 800, by: 50) {
            let found = index.search(keyed[i].vector, k: 10).map(\.key)
            #expect(!found.contains("p\(i)"))
            #expect(found.allSatisfy { Int($0.dropFirst())! % 2 == 1 })
            #expect(found.count == 10)
        }
        try index.add(key: "p100", vector: keyed[100].vector)
        #expect(index.search(keyed[100].vector, k: 1).first?.key == "p100")
        let compacted = index.compacted(threads: 1)
        #expect(compacted.store.slotCount == 401)
        #expect(compacted.search(keyed[100].vector, k: 1).first?.key == "p100")
    }

    @Test func copiesDoNotShareWrites() throws {
        var generator = TestVectors(seed: 24)
        var index = HNSWIndex(dimension: 8, parameters: HNSWParameters(m: 4, efConstruction: 16))
        for (key, vector) in TestVectors.keyed(generator.uniform(count: 50, dimension: 8)) { try index.add(key: key, vector: vector) }
        let snapshot = index
        let extra = generator.uniform(count: 1, dimension: 8)[0]
        try index.add(key: "new", vector: extra)
        #expect(index.search(extra, k: 1).first?.key == "new")
        #expect(snapshot.search(extra, k: 1).first?.key != "new")
        #expect(snapshot.count == 50)
    }
}
