import PaperboyCore
import Foundation

/// UMAP's layout optimisation: stochastic gradient descent on the fuzzy cross-entropy between
/// the neighbour graph and the picture, with negative sampling.
///
/// Each edge pulls its two ends together, sampled in proportion to its weight; each pull comes
/// with a few pushes of the head away from random points, which stand in for all the pairs
/// that are not neighbours. The curve 1 / (1 + a·d^(2b)) (a ≈ 1.577, b ≈ 0.895 fit
/// `min_dist` 0.1) sets how tightly clusters pack. It runs on one thread, in the order of the
/// edges with one seeded generator, so a seed gives the same map every time; the landmark
/// sample keeps it to seconds.
struct LayoutOptimizer {
    var a: Float = 1.577
    var b: Float = 0.895
    var epochs: Int
    var negativeSampleRate = 5
    var initialLearningRate: Float = 1

    /// Moves `positions` (n × 2, interleaved x, y) to fit `graph`.
    func optimize(_ positions: inout [Float], pointCount n: Int, graph: FuzzyGraph, seed: UInt64) {
        let edges = graph.heads.count
        guard edges > 0, n > 1, epochs > 0 else { return }
        let maxWeight = graph.weights.max() ?? 1
        // UMAP drops the edges too weak to be sampled even once over all epochs.
        let floor = maxWeight / Float(epochs)
        var epochsPerSample = [Float](repeating: -1, count: edges)
        for e in 0..<edges where graph.weights[e] >= floor {
            epochsPerSample[e] = maxWeight / graph.weights[e]
        }
        var nextSample = epochsPerSample
        let rate = Float(negativeSampleRate)
        let epochsPerNegative = epochsPerSample.map { $0 / rate }
        var nextNegative = epochsPerNegative
        var random = SeededGenerator(seed: seed)
        let a = self.a, b = self.b
        positions.withUnsafeMutableBufferPointer { y in
            graph.heads.withUnsafeBufferPointer { heads in
                graph.tails.withUnsafeBufferPointer { tails in
                    for epoch in 0..<epochs {
                        let alpha = initialLearningRate * (1 - Float(epoch) / Float(epochs))
                        let now = Float(epoch)
                        for e in 0..<edges {
                            let every = epochsPerSample[e]
                            if every <= 0 || nextSample[e] > now { continue }
                            let j = Int(heads[e]), k = Int(tails[e])
                            var dx = y[2 * j] - y[2 * k], dy = y[2 * j + 1] - y[2 * k + 1]
                            var d2 = dx * dx + dy * dy
                            if d2 > 0 {
                                // One pow: d^(2b) = d² · d^(2(b−1)).
                                let power = pow(d2, b - 1)
                                let coefficient = -2 * a * b * power / (a * power * d2 + 1)
                                let gx = clip(coefficient * dx), gy = clip(coefficient * dy)
                                y[2 * j] += gx * alpha; y[2 * j + 1] += gy * alpha
                                y[2 * k] -= gx * alpha; y[2 * k + 1] -= gy * alpha
                            }
                            nextSample[e] += every
                            let negatives = Int((now - nextNegative[e]) / epochsPerNegative[e])
                            if negatives > 0 {
                                for _ in 0..<negatives {
                                    let other = random.below(n)
                                    if other == j { continue }
                                    dx = y[2 * j] - y[2 * other]
                                    dy = y[2 * j + 1] - y[2 * other + 1]
                                    d2 = dx * dx + dy * dy
                                    var gx: Float = 0, gy: Float = 0
                                    if d2 > 0 {
                                        let coefficient = 2 * b / ((0.001 + d2) * (a * pow(d2, b) + 1))
                                        gx = clip(coefficient * dx)
                                        gy = clip(coefficient * dy)
                                    }
                                    y[2 * j] += gx * alpha; y[2 * j + 1] += gy * alpha
                                }
                                nextNegative[e] += Float(negatives) * epochsPerNegative[e]
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func clip(_ x: Float) -> Float { min(4, max(-4, x)) }
}
