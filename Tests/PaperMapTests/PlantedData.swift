import PaperboyCore
import Foundation
@testable import PaperMap

/// Data with known structure for the map's tests: Gaussian clusters around random centres,
/// from a seeded generator so every run sees the same points.
struct PlantedData {
    var vectors: [Float]
    var labels: [Int]
    var dimension: Int
    var count: Int { labels.count }

    /// `clusters` clusters of `perCluster` points in `dimension` dimensions: centres at
    /// distance `separation` scale, unit-variance noise per coordinate scaled by `noise`,
    /// then every vector scaled to unit length as the model's are.
    static func clusters(_ clusters: Int, perCluster: Int, dimension: Int, separation: Float = 1,
                         noise: Float = 0.15, seed: UInt64 = 1) -> PlantedData {
        var random = SeededGenerator(seed: seed)
        func gaussian() -> Float {
            let u = max(random.unit(), 1e-12), v = random.unit()
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
        let centres = (0..<(clusters * dimension)).map { _ in gaussian() * separation }
        var vectors: [Float] = []
        var labels: [Int] = []
        for c in 0..<clusters {
            for _ in 0..<perCluster {
                var v = (0..<dimension).map { centres[c * dimension + $0] / Float(dimension).squareRoot() + gaussian() * noise / Float(dimension).squareRoot() }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                v = v.map { $0 / norm }
                vectors += v
                labels.append(c)
            }
        }
        return PlantedData(vectors: vectors, labels: labels, dimension: dimension)
    }

    static func gaussian(_ random: inout SeededGenerator) -> Float {
        let u = max(random.unit(), 1e-12), v = random.unit()
        return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }
}
