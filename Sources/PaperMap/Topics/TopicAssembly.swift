import Foundation
import PaperboyCore

extension PaperMap {
    /// Builds a map from a finished layout: clusters become topics, largest first (ties by
    /// first paper), empty clusters are dropped, and `topicOfPaper` is renumbered to match.
    /// `terms[c]` names cluster `c`; its first three, joined, are the label.
    public static func assemble(ids: [PaperID], points: [MapPoint], clusters: [Int], terms: [[String]],
                                publishedDay: [Int32], model: String, computedAt: Date) -> PaperMap {
        let clusterCount = (clusters.max() ?? -1) + 1
        var sizes = [Int](repeating: 0, count: clusterCount)
        var sums = [(Double, Double)](repeating: (0, 0), count: clusterCount)
        var first = [Int](repeating: Int.max, count: clusterCount)
        for (i, c) in clusters.enumerated() {
            sizes[c] += 1
            sums[c].0 += Double(points[i].x)
            sums[c].1 += Double(points[i].y)
            first[c] = min(first[c], i)
        }
        let order = (0..<clusterCount).filter { sizes[$0] > 0 }
            .sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : first[$0] < first[$1] }
        var newIndex = [UInt16](repeating: 0, count: clusterCount)
        for (rank, c) in order.enumerated() { newIndex[c] = UInt16(rank) }
        let topics = order.map { c in
            let words = c < terms.count ? terms[c] : []
            return MapTopic(label: words.prefix(3).joined(separator: ", "), terms: words,
                            center: MapPoint(x: Float(sums[c].0 / Double(sizes[c])), y: Float(sums[c].1 / Double(sizes[c]))),
                            papers: sizes[c])
        }
        return PaperMap(ids: ids, points: points, topicOfPaper: clusters.map { newIndex[$0] },
                        publishedDay: publishedDay, topics: topics, model: model, computedAt: computedAt)
    }
}
