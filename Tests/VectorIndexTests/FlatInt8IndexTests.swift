import Testing
@testable import VectorIndex

struct FlatInt8IndexTests {
    @Test(arguments: ["uniform", "clustered"])
    func topTenEqualsBruteForceFloat(kind: String) throws {
        var generator = TestVectors(seed: 11)
        let vectors = kind == "uniform"
            ? generator.uniform(count: 3_040, dimension: 64)
            : generator.clustered(count: 3_040, dimension: 64, clusters: 30, spread: 0.4)
        let keyed = TestVectors.keyed(Array(vectors[..<3_000]))
        var index = FlatInt8Index(dimension: 64)
        for (key, vector) in keyed { try index.add(key: key, vector: vector) }
        for query in vectors[3_000...] {
            let expected = TestVectors.bruteForce(query, keyed, k: 10)
            #expect(index.search(query, k: 10).map(\.key) == expected)
        }
    }

    @Test func scoresAreTheFloatDotProducts() throws {
        var generator = TestVectors(seed: 12)
        let keyed = TestVectors.keyed(generator.uniform(count: 200, dimension: 32))
        var index = FlatInt8Index(dimension: 32)
        for (key, vector) in keyed { try index.add(key: key, vector: vector) }
        let query = keyed[7].vector
        let hits = index.search(query, k: 3)
        #expect(hits.first?.key == "p7")
        #expect(abs((hits.first?.score ?? 0) - 1) < 1e-5)
    }

    @Test func deletedVectorsAreNotReturnedAndReAddingBringsThemBack() throws {
        var generator = TestVectors(seed: 13)
        let keyed = TestVectors.keyed(generator.uniform(count: 300, dimension: 32))
        var index = FlatInt8Index(dimension: 32)
        for (key, vector) in keyed { try index.add(key: key, vector: vector) }
        let removed = index.remove(key: "p5"), removedTwice = index.remove(key: "p5")
        #expect(removed && !removedTwice)
        #expect(index.count == 299)
        #expect(!index.search(keyed[5].vector, k: 10).map(\.key).contains("p5"))
        try index.add(key: "p5", vector: keyed[5].vector)
        #expect(index.search(keyed[5].vector, k: 1).first?.key == "p5")
        // Re-adding a present key replaces its vector.
        try index.add(key: "p5", vector: keyed[9].vector)
        #expect(Set(index.search(keyed[9].vector, k: 2).map(\.key)) == ["p5", "p9"])
        #expect(index.count == 300)
    }

    @Test func wrongDimensionOrNaNIsRejected() {
        var index = FlatInt8Index(dimension: 4)
        #expect(throws: VectorIndexError.self) { try index.add(key: "a", vector: [1, 0, 0]) }
        #expect(throws: VectorIndexError.self) { try index.add(key: "a", vector: [.nan, 0, 0, 0]) }
        #expect(index.search([1, 0, 0, 0], k: 5).isEmpty)
    }
}
