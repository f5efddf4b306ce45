import PaperboyCore
import Foundation

/// How faithfully a picture keeps the neighbourhoods of the original vectors.
///
/// Both figures look at a random sample of papers and at neighbours within that sample, so
/// they cost O(sample²) and compare layouts of any size on the same footing:
/// - trustworthiness (as `sklearn.manifold.trustworthiness`, Euclidean): 1 minus a penalty
///   for each paper that looks like a neighbour on the map but is far down the original
///   ranking; 1 means the map invents no neighbours.
/// - neighbour recall@k: the share of each paper's k nearest in the original space that are
///   also among its k nearest on the map.
public struct MapQuality: Sendable, Equatable {
    public var trustworthiness: Double
    public var neighbourRecall: Double
    public var sample: Int
    public var k: Int

    /// Both figures for `points` against `count` vectors of `dimension` floats, on a seeded
    /// sample of `sample` papers.
    public static func measure(vectors: [Float], dimension: Int, points: [MapPoint], k: Int = 10,
                               sample: Int = 2_000, seed: UInt64 = 7) -> MapQuality {
        var random = SeededGenerator(seed: seed)
        let chosen = random.sample(sample, of: points.count)
        var original = [Float](repeating: 0, count: chosen.count * dimension)
        var embedded = [Float](repeating: 0, count: chosen.count * 2)
        for (row, i) in chosen.enumerated() {
            for c in 0..<dimension { original[row * dimension + c] = vectors[i * dimension + c] }
            embedded[2 * row] = points[i].x
            embedded[2 * row + 1] = points[i].y
        }
        let (t, r) = figures(original: original, originalDimension: dimension, embedded: embedded,
                             embeddedDimension: 2, count: chosen.count, k: k)
        return MapQuality(trustworthiness: t, neighbourRecall: r, sample: chosen.count, k: k)
    }

    /// sklearn's trustworthiness of `embedded` for `original` (both `count` row-major rows).
    public static func trustworthiness(original: [Float], originalDimension: Int, embedded: [Float],
                                       embeddedDimension: Int, count: Int, k: Int) -> Double {
        figures(original: original, originalDimension: originalDimension, embedded: embedded,
                embeddedDimension: embeddedDimension, count: count, k: k).trustworthiness
    }

    static func figures(original: [Float], originalDimension: Int, embedded: [Float], embeddedDimension: Int,
                        count n: Int, k: Int) -> (trustworthiness: Double, recall: Double) {
        precondition(k < n / 2, "trustworthiness needs k < n/2")
        var penalties = [Double](repeating: 0, count: n)
        var hits = [Int](repeating: 0, count: n)
        penalties.withUnsafeMutableBufferPointer { penaltyBuffer in
            hits.withUnsafeMutableBufferPointer { hitBuffer in
                let penalty = SharedBuffer(base: penaltyBuffer.baseAddress!)
                let hit = SharedBuffer(base: hitBuffer.baseAddress!)
                parallelRanges(n, minimumPerWorker: 64) { rows in
                    var rank = [Int](repeating: 0, count: n)
                    var distances = [Double](repeating: 0, count: n)
                    var embeddedDistances = [Double](repeating: 0, count: n)
                    for i in rows {
                        for j in 0..<n {
                            distances[j] = j == i ? .infinity
                                : squaredDistance(original, i, j, originalDimension)
                            embeddedDistances[j] = j == i ? .infinity
                                : squaredDistance(embedded, i, j, embeddedDimension)
                        }
                        // Rank 1 is the nearest in the original space (ties by index).
                        let byOriginal = (0..<n).sorted { distances[$0] != distances[$1] ? distances[$0] < distances[$1] : $0 < $1 }
                        for (position, j) in byOriginal.enumerated() { rank[j] = position + 1 }
                        let byEmbedded = (0..<n).sorted {
                            embeddedDistances[$0] != embeddedDistances[$1] ? embeddedDistances[$0] < embeddedDistances[$1] : $0 < $1
                        }
                        var sum = 0.0, shared = 0
                        for j in byEmbedded.prefix(k) {
                            if rank[j] > k { sum += Double(rank[j] - k) } else { shared += 1 }
                        }
                        penalty.base[i] = sum
                        hit.base[i] = shared
                    }
                }
            }
        }
        let nn = Double(n), kk = Double(k)
        let trust = 1 - penalties.reduce(0, +) * 2 / (nn * kk * (2 * nn - 3 * kk - 1))
        let recall = Double(hits.reduce(0, +)) / (nn * kk)
        return (trust, recall)
    }

    @inline(__always)
    private static func squaredDistance(_ x: [Float], _ i: Int, _ j: Int, _ d: Int) -> Double {
        var s: Double = 0
        for c in 0..<d {
            let t = Double(x[i * d + c]) - Double(x[j * d + c])
            s += t * t
        }
        return s
    }
}
