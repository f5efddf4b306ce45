/// Keeps the `k` best documents seen so far, best first; ties go to the earlier document,
/// so the result is one well-defined list whatever the search skipped.
struct TopCollector {
    struct Entry: Equatable {
        var score: Float
        /// Segment ordinal in the high half, document in the low half: increasing in visit order.
        var key: UInt64
    }

    let k: Int
    private(set) var entries: [Entry] = []
    /// Documents scored in full: what pruning saves is the difference to all matching ones.
    var evaluated = 0

    init(k: Int) {
        precondition(k > 0, "a top-k search keeps at least one document")
        self.k = k
        if k < Int.max { entries.reserveCapacity(k + 1) }
    }

    /// A collector that keeps every document in visit order, unranked (`k` = `Int.max`):
    /// the set a filter lets through.
    static func everything() -> TopCollector { TopCollector(k: .max) }

    /// A document must score more than this to enter (documents arrive in increasing key
    /// order, so one that only ties the last entry would rank after it).
    var threshold: Float { entries.count < k ? -.infinity : entries[entries.count - 1].score }

    /// Whether a document with this score and key would enter.
    @inline(__always)
    func admits(_ score: Float, key: UInt64) -> Bool {
        guard entries.count == k else { return true }
        let last = entries[entries.count - 1]
        return score > last.score || (score == last.score && key < last.key)
    }

    mutating func collect(score: Float, key: UInt64) {
        if k == .max { return entries.append(Entry(score: score, key: key)) }
        guard admits(score, key: key) else { return }
        var place = entries.count
        while place > 0, entries[place - 1].score < score || (entries[place - 1].score == score && entries[place - 1].key > key) {
            place -= 1
        }
        entries.insert(Entry(score: score, key: key), at: place)
        if entries.count > k { entries.removeLast() }
    }
}
