import PaperboyCore
import Foundation
import PaperboyTesting
import Testing
@testable import PaperMap

/// `MapQuality` against sklearn's `trustworthiness` on the fixture
/// `bench/trustworthiness_reference.py` wrote, and on pictures whose answer is known.
@Suite struct QualityTests {
    struct Reference: Decodable {
        var count: Int
        var dimension: Int
        var original: [Float]
        var embedded: [Float]
        var trustworthiness: [String: Double]
    }

    @Test func trustworthinessMatchesSklearn() throws {
        let url = Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/sklearn-trustworthiness.json")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        #expect(reference.trustworthiness.count == 4)
        for (key, expected) in reference.trustworthiness {
            let k = try #require(Int(key))
            let got = MapQuality.trustworthiness(original: reference.original, originalDimension: reference.dimension,
                                                 embedded: reference.embedded, embeddedDimension: 2,
                                                 count: reference.count, k: k)
            #expect(abs(got - expected) < 1e-9, "k = \(k): \(got), sklearn \(expected)")
        }
    }

    @Test func aPictureThatIsTheDataIsFullyTrustworthyAndAShuffledOneIsNot() {
        var random = SeededGenerator(seed: 4)
        let n = 300
        let points = (0..<n).map { _ in MapPoint(x: Float(random.unit()), y: Float(random.unit())) }
        let vectors = points.flatMap { [$0.x, $0.y] }
        let same = MapQuality.measure(vectors: vectors, dimension: 2, points: points, k: 5, sample: n)
        #expect(abs(same.trustworthiness - 1) < 1e-12)
        #expect(abs(same.neighbourRecall - 1) < 1e-12)
        let shuffled = MapQuality.measure(vectors: vectors, dimension: 2, points: points.shuffled(using: &random), k: 5, sample: n)
        #expect(shuffled.trustworthiness < 0.6)
        #expect(shuffled.neighbourRecall < 0.1)
    }
}

