import Foundation

/// Exact k-nearest-neighbour search by blocked matrix products.
///
/// ‖q − b‖² = ‖q‖² + ‖b‖² − 2 q·b, so one product of a block of queries with a block of base
/// points gives all their distances at the GEMM kernels' speed; a short sorted list per query
/// keeps the k best. Exact search is affordable because the map searches only its landmarks
/// (tens of thousands) in 50 dimensions, and exact neighbours make the layout and its quality
/// figure reproducible, with no approximate index to tune.
public struct NeighbourList: Sendable, Equatable {
    /// Neighbours per point.
    public let k: Int
    /// Row `i` holds point `i`'s neighbours, nearest first (`k` entries; -1 past the base's end).
    public var indices: [Int32]
    /// The matching Euclidean distances (not squared).
    public var distances: [Float]
}

enum NearestNeighbours {
    static let queryBlock = 256
    static let baseBlock = 2048

    /// The `k` nearest of `baseCount` base rows for each of `queryCount` query rows, all of
    /// `dimension` floats. With `excludingSelf` (queries and base the same set), a point is not
    /// its own neighbour.
    static func search(queries: UnsafePointer<Float>, queryCount: Int, base: UnsafePointer<Float>, baseCount: Int,
                       dimension d: Int, k: Int, excludingSelf: Bool) -> NeighbourList {
        var indices = [Int32](repeating: -1, count: queryCount * k)
        var distances = [Float](repeating: .infinity, count: queryCount * k)
        guard queryCount > 0, baseCount > 0, k > 0 else {
            return NeighbourList(k: k, indices: indices, distances: distances)
        }
        let baseNorms = squaredNorms(base, count: baseCount, dimension: d)
        // Pack the base once, in blocks of columns, and share the packs between the cores.
        var packs: [MatrixProduct.PackedTransposed] = []
        for start in stride(from: 0, to: baseCount, by: baseBlock) {
            packs.append(MatrixProduct.PackedTransposed(rows: base + start * d, count: min(baseBlock, baseCount - start), depth: d))
        }
        defer { for pack in packs { pack.free() } }
        let blocks = (queryCount + queryBlock - 1) / queryBlock
        indices.withUnsafeMutableBufferPointer { indexBuffer in
            distances.withUnsafeMutableBufferPointer { distanceBuffer in
                let outIndex = SharedBuffer(base: indexBuffer.baseAddress!)
                let outDistance = SharedBuffer(base: distanceBuffer.baseAddress!)
                parallelRanges(blocks) { blockRange in
                    let scores = UnsafeMutablePointer<Float>.allocate(capacity: queryBlock * baseBlock)
                    defer { scores.deallocate() }
                    for block in blockRange {
                        let q0 = block * queryBlock
                        let m = min(queryBlock, queryCount - q0)
                        let bestIndex = outIndex.base + q0 * k
                        let bestScore = outDistance.base + q0 * k
                        for (p, pack) in packs.enumerated() {
                            let b0 = p * baseBlock
                            pack.multiply(queries + q0 * d, rows: m, into: scores)
                            for r in 0..<m {
                                let row = scores + r * pack.n
                                let listIndex = bestIndex + r * k, listScore = bestScore + r * k
                                var worst = listScore[k - 1]
                                let selfIndex = excludingSelf ? q0 + r : -1
                                for c in 0..<pack.n {
                                    // ‖b‖² − 2 q·b ranks as the distance does (‖q‖² is fixed).
                                    let score = baseNorms[b0 + c] - 2 * row[c]
                                    if score < worst, b0 + c != selfIndex {
                                        insert(score, Int32(b0 + c), scores: listScore, indices: listIndex, k: k)
                                        worst = listScore[k - 1]
                                    }
                                }
                            }
                        }
                        // Scores back to distances.
                        for r in 0..<m {
                            var qq: Float = 0
                            let q = queries + (q0 + r) * d
                            for i in 0..<d { qq += q[i] * q[i] }
                            for j in 0..<k where bestIndex[r * k + j] >= 0 {
                                bestScore[r * k + j] = max(0, bestScore[r * k + j] + qq).squareRoot()
                            }
                        }
                    }
                }
            }
        }
        return NeighbourList(k: k, indices: indices, distances: distances)
    }

    @inline(__always)
    static func insert(_ score: Float, _ index: Int32, scores: UnsafeMutablePointer<Float>,
                       indices: UnsafeMutablePointer<Int32>, k: Int) {
        var j = k - 1
        while j > 0 && scores[j - 1] > score {
            scores[j] = scores[j - 1]
            indices[j] = indices[j - 1]
            j -= 1
        }
        scores[j] = score
        indices[j] = index
    }

    static func squaredNorms(_ x: UnsafePointer<Float>, count: Int, dimension d: Int) -> [Float] {
        var norms = [Float](repeating: 0, count: count)
        for r in 0..<count {
            var s: Float = 0
            for i in 0..<d { s += x[r * d + i] * x[r * d + i] }
            norms[r] = s
        }
        return norms
    }
}
