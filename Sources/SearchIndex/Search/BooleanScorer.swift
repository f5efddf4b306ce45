/// A parenthesized group: documents that match every required child, none of the excluded
/// ones and, when nothing is required, at least one optional child; the score is the sum of
/// the matching children's scores.
final class BooleanScorer: Scorer {
    private let required: [any Scorer]
    private let optional: [any Scorer]
    private let excluded: [any Scorer]
    private(set) var document: UInt32 = 0
    let maxScore: Float

    init(required: [any Scorer], optional: [any Scorer], excluded: [any Scorer]) {
        precondition(!required.isEmpty || !optional.isEmpty, "a group matches through a required or an optional child")
        self.required = required
        self.optional = optional
        self.excluded = excluded
        self.maxScore = (required + optional).reduce(0) { $0 + $1.maxScore }
        settle(from: 0)
    }

    func advance(to target: UInt32) {
        guard document < target else { return }
        settle(from: target)
    }

    func score() -> Float {
        var total: Float = 0
        for child in required { total += child.score() }
        for child in optional where child.document == document { total += child.score() }
        return total
    }

    func explain(into parts: inout [TermContribution]) {
        for child in required { child.explain(into: &parts) }
        for child in optional where child.document == document { child.explain(into: &parts) }
    }

    private func settle(from target: UInt32) {
        var candidate = target
        while true {
            if required.isEmpty {
                var first = PostingCursor.exhausted
                for child in optional {
                    child.advance(to: candidate)
                    first = min(first, child.document)
                }
                candidate = first
            } else {
                candidate = firstCommonDocument(of: required, from: candidate)
                for child in optional { child.advance(to: candidate) }
            }
            guard candidate != PostingCursor.exhausted else {
                document = PostingCursor.exhausted
                return
            }
            var isExcluded = false
            for child in excluded {
                child.advance(to: candidate)
                if child.document == candidate { isExcluded = true }
            }
            if !isExcluded {
                document = candidate
                return
            }
            candidate += 1
        }
    }
}

/// The first document at or after `target` that every scorer matches (leapfrogging them to
/// agreement), or `PostingCursor.exhausted`.
func firstCommonDocument(of scorers: [any Scorer], from target: UInt32) -> UInt32 {
    var candidate = target
    var agreed = false
    while !agreed {
        agreed = true
        for scorer in scorers {
            scorer.advance(to: candidate)
            if scorer.document > candidate {
                candidate = scorer.document
                agreed = false
            }
        }
        if candidate == PostingCursor.exhausted { return candidate }
    }
    return candidate
}
