/// Every document of a segment, each scoring zero: the base of a query made only of filters.
final class AllScorer: Scorer {
    private let documentCount: UInt32
    private(set) var document: UInt32 = 0
    let maxScore: Float = 0

    init(documentCount: Int) {
        self.documentCount = UInt32(documentCount)
        if documentCount == 0 { document = PostingCursor.exhausted }
    }

    func advance(to target: UInt32) {
        guard document < target else { return }
        document = target < documentCount ? target : PostingCursor.exhausted
    }

    func score() -> Float { 0 }
    func explain(into parts: inout [TermContribution]) {}
}
