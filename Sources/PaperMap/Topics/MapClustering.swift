import PaperboyCore
import Foundation

/// Groups the papers into topics by k-means on their places on the map.
///
/// Clustering the 2-D layout rather than the PCA space is deliberate: k-means cells in the
/// plane are convex (a Voronoi diagram), so every topic is one contiguous region of the map
/// with its label in the middle, which is what a reader of the picture expects. The layout
/// already put papers about the same thing together, so the regions follow the field's
/// structure; clustering in 50 dimensions could give topics scattered over several islands.
public enum MapClustering {
    /// The number of topics for `papers` papers: √(papers / 20), within 8…60, never more than
    /// the papers.
    public static func topicCount(papers: Int) -> Int {
        guard papers > 0 else { return 0 }
        let wanted = Int((Double(papers) / 20).squareRoot().rounded())
        return min(papers, min(60, max(8, wanted)))
    }

    /// Each point's cluster (0..<`clusters`), from k-means++ seeding and Lloyd iterations on a
    /// seeded sample of up to 100,000 points, then every point assigned to its nearest centre.
    public static func cluster(_ points: [MapPoint], clusters wanted: Int, seed: UInt64) -> [Int] {
        let n = points.count
        guard n > 0 else { return [] }
        let k = max(1, min(wanted, n))
        var random = SeededGenerator(seed: seed &+ 3)
        let sample = random.sample(100_000, of: n).map { points[$0] }
        let m = sample.count
        // k-means++: each next centre drawn with probability ∝ squared distance to the nearest.
        var centres = [sample[random.below(m)]]
        var nearest = sample.map { squaredDistance($0, centres[0]) }
        while centres.count < k {
            let total = nearest.reduce(0.0) { $0 + Double($1) }
            var pick = 0
            if total > 0 {
                var target = random.unit() * total
                for i in 0..<m {
                    target -= Double(nearest[i])
                    if target <= 0 { pick = i; break }
                    pick = i
                }
            } else {
                pick = random.below(m)
            }
            centres.append(sample[pick])
            for i in 0..<m { nearest[i] = min(nearest[i], squaredDistance(sample[i], sample[pick])) }
        }
        var assignment = [Int](repeating: 0, count: m)
        for _ in 0..<100 {
            var changed = false
            for i in 0..<m {
                let c = nearestCentre(sample[i], centres)
                if c != assignment[i] { assignment[i] = c; changed = true }
            }
            var sums = [(Double, Double, Int)](repeating: (0, 0, 0), count: k)
            for i in 0..<m {
                sums[assignment[i]].0 += Double(sample[i].x)
                sums[assignment[i]].1 += Double(sample[i].y)
                sums[assignment[i]].2 += 1
            }
            for c in 0..<k where sums[c].2 > 0 {
                centres[c] = MapPoint(x: Float(sums[c].0 / Double(sums[c].2)), y: Float(sums[c].1 / Double(sums[c].2)))
            }
            if !changed { break }
        }
        return points.map { nearestCentre($0, centres) }
    }

    @inline(__always)
    static func squaredDistance(_ a: MapPoint, _ b: MapPoint) -> Float {
        let dx = a.x - b.x, dy = a.y - b.y
        return dx * dx + dy * dy
    }

    static func nearestCentre(_ point: MapPoint, _ centres: [MapPoint]) -> Int {
        var best = 0
        var bestDistance = Float.infinity
        for (c, centre) in centres.enumerated() {
            let d = squaredDistance(point, centre)
            if d < bestDistance { bestDistance = d; best = c }
        }
        return best
    }
}
