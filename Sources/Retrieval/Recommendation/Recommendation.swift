import PaperboyCore

/// A paper recommended to a reader for one of their tags, with the reason a page can show:
/// "like *X* in your tag MoE".
public struct Recommendation: Sendable, Equatable {
    public var paper: PaperID
    /// The strategy's score; only the order it gives means anything.
    public var score: Float
    public var reason: Reason

    /// The saved paper of the tag this recommendation is most like, by embedding cosine:
    /// the one a reader recognises, whatever features put the paper on the list.
    public struct Reason: Sendable, Equatable {
        public var savedPaper: PaperID
        public var similarity: Float
    }
}

/// A way of choosing papers for a tag from the papers its reader saved in it, so the
/// trained recommender and its baseline run through one evaluation.
public protocol RecommendationStrategy: Sendable {
    /// A short name for tables.
    var name: String { get }

    /// The best `limit` candidates for a tag whose papers are `saved`, oldest first; saved
    /// papers are never recommended, and saved papers that are not candidates are ignored.
    func recommend(for saved: [PaperID], among features: PaperFeatures, limit: Int) -> [Recommendation]
}

extension PaperFeatures {
    /// The rows of the saved papers that are candidates, in saving order, without repeats.
    func rows(of saved: [PaperID]) -> [Int] {
        var seen = Set<Int>()
        return saved.compactMap { row(of: $0) }.filter { seen.insert($0).inserted }
    }

    /// The `limit` best-scored candidates outside `savedRows` (ties to the earlier row, so
    /// the order is the same every run), each with its reason.
    func recommendations(scores: [Float], savedRows: [Int], limit: Int) -> [Recommendation] {
        guard !savedRows.isEmpty, limit > 0 else { return [] }
        let excluded = Set(savedRows)
        var best: [(row: Int, score: Float)] = []
        best.reserveCapacity(limit + 1)
        for (row, score) in scores.enumerated() where !excluded.contains(row) {
            if best.count == limit, let last = best.last, score <= last.score { continue }
            let place = best.firstIndex { score > $0.score } ?? best.count
            best.insert((row, score), at: place)
            if best.count > limit { best.removeLast() }
        }
        return best.map { candidate in
            Recommendation(paper: ids[candidate.row], score: candidate.score,
                           reason: reason(for: candidate.row, savedRows: savedRows))
        }
    }

    /// The saved paper nearest to `row`; among equals the one saved last, the reader's
    /// freshest interest.
    func reason(for row: Int, savedRows: [Int]) -> Recommendation.Reason {
        var nearest = savedRows[0], similarity = -Float.infinity
        for saved in savedRows {
            let cosine = self.similarity(row, saved)
            if cosine >= similarity { (nearest, similarity) = (saved, cosine) }
        }
        return Recommendation.Reason(savedPaper: ids[nearest], similarity: similarity)
    }
}
