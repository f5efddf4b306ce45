/// The deleted documents of one segment: a bit per document, copied on write, so a search
/// keeps the snapshot it started with while the index moves on.
struct DeletionSet: Sendable, Equatable {
    private(set) var words: [UInt64]
    private(set) var count = 0

    init(documentCount: Int) {
        words = [UInt64](repeating: 0, count: (documentCount + 63) / 64)
    }

    init(words: [UInt64]) {
        self.words = words
        count = words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    @inline(__always)
    func contains(_ document: UInt32) -> Bool {
        words[Int(document >> 6)] & (1 << UInt64(document & 63)) != 0
    }

    mutating func insert(_ document: UInt32) {
        guard !contains(document) else { return }
        words[Int(document >> 6)] |= 1 << UInt64(document & 63)
        count += 1
    }
}
