import Foundation

/// UMAP's fuzzy neighbour graph: how strongly each point is tied to each of its neighbours.
///
/// Each point gets its own distance scale: `rho` is the distance to its nearest neighbour (so
/// every point is fully tied to at least one other, however sparse its region) and `sigma` is
/// found by bisection so that its k ties sum to log₂(k). Dense and sparse regions thus weigh
/// the same, which is what lets UMAP keep both in view. The directed ties are then joined as
/// fuzzy sets: w = a + b − a·b.
struct FuzzyGraph {
    /// Both directions of every edge (UMAP moves both ends of each), sorted by `head`.
    var heads: [Int32]
    var tails: [Int32]
    var weights: [Float]

    /// The per-point `rho` and `sigma` of distances sorted ascending (UMAP's smooth_knn_dist).
    static func scale(of distances: UnsafeBufferPointer<Float>, target: Double) -> (rho: Float, sigma: Float) {
        let positive = distances.filter { $0 > 0 && $0.isFinite }
        let rho = positive.first ?? 0
        var lo = 0.0, hi = Double.infinity, mid = 1.0
        for _ in 0..<64 {
            var sum = 0.0
            for d in distances where d.isFinite {
                let x = Double(d) - Double(rho)
                sum += x > 0 ? exp(-x / mid) : 1
            }
            if abs(sum - target) < 1e-5 { break }
            if sum > target {
                hi = mid
                mid = (lo + hi) / 2
            } else {
                lo = mid
                mid = hi.isInfinite ? mid * 2 : (lo + hi) / 2
            }
        }
        // UMAP's floor: never narrower than a thousandth of the mean distance.
        let finite = distances.filter(\.isFinite)
        let meanDistance = finite.isEmpty ? 0 : Double(finite.reduce(0, +)) / Double(finite.count)
        return (rho, Float(max(mid, 1e-3 * meanDistance, 1e-12)))
    }

    /// The fuzzy tie from a point with `rho`, `sigma` to a neighbour at `distance`.
    @inline(__always)
    static func membership(_ distance: Float, rho: Float, sigma: Float) -> Float {
        distance <= rho ? 1 : Float(exp(-Double(distance - rho) / Double(sigma)))
    }

    init(neighbours: NeighbourList, pointCount n: Int) {
        let k = neighbours.k
        let target = log2(Double(k))
        var keyed: [(key: UInt64, weight: Float)] = []
        keyed.reserveCapacity(n * k)
        neighbours.distances.withUnsafeBufferPointer { all in
            for i in 0..<n {
                let row = UnsafeBufferPointer(rebasing: all[(i * k)..<((i + 1) * k)])
                let (rho, sigma) = Self.scale(of: row, target: target)
                for j in 0..<k {
                    let other = neighbours.indices[i * k + j]
                    guard other >= 0, Int(other) != i else { continue }
                    let w = Self.membership(row[j], rho: rho, sigma: sigma)
                    let a = UInt64(min(i, Int(other))), b = UInt64(max(i, Int(other)))
                    keyed.append((a << 32 | b, w))
                }
            }
        }
        keyed.sort { $0.key < $1.key }
        // Equal keys are the two directions of one pair: join them as fuzzy sets.
        var pairs: [(a: Int32, b: Int32, w: Float)] = []
        var i = 0
        while i < keyed.count {
            var w = keyed[i].weight
            if i + 1 < keyed.count, keyed[i + 1].key == keyed[i].key {
                let v = keyed[i + 1].weight
                w = w + v - w * v
                i += 1
            }
            pairs.append((Int32(keyed[i].key >> 32), Int32(truncatingIfNeeded: keyed[i].key & 0xFFFF_FFFF), w))
            i += 1
        }
        var directed: [(h: Int32, t: Int32, w: Float)] = []
        directed.reserveCapacity(pairs.count * 2)
        for pair in pairs where pair.w > 0 {
            directed.append((pair.a, pair.b, pair.w))
            directed.append((pair.b, pair.a, pair.w))
        }
        directed.sort { $0.h != $1.h ? $0.h < $1.h : $0.t < $1.t }
        heads = directed.map(\.h)
        tails = directed.map(\.t)
        weights = directed.map(\.w)
    }
}
