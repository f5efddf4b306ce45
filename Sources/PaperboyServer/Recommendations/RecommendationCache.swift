import PaperboyCore

/// The latest answer of each (reader, tag), least recently used dropped first once there are
/// more than `capacity`. An answer is a few KB (`TagAnswer`), so the default bound of 4,096
/// tag lists keeps the cache near 16 MB however many readers come by.
///
/// One entry per (reader, tag) rather than per revision: an older revision's answer is only
/// worth keeping until the newer one is ready, and it is replaced then.
struct RecommendationCache {
    struct Key: Hashable {
        var reader: ReaderID
        var tag: String
    }

    let capacity: Int
    private var entries: [Key: (answer: TagAnswer, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a cache needs room for at least one answer")
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// The answer kept for `key`, marked as just used.
    mutating func answer(for key: Key) -> TagAnswer? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.answer, clock)
        return entry.answer
    }

    /// Keeps `answer` unless the one kept is of a later revision (a slower training of an
    /// older library finishing last), or of the same revision and a newer pool.
    mutating func store(_ answer: TagAnswer, for key: Key) {
        if let kept = entries[key]?.answer,
           (kept.revision, kept.poolVersion) > (answer.revision, answer.poolVersion) { return }
        clock += 1
        entries[key] = (answer, clock)
        if entries.count > capacity { evict() }
    }

    /// Drops the least recently used eighth (at least one): sorting once per many inserts
    /// rather than keeping a linked list in order on every read.
    private mutating func evict() {
        let excess = entries.count - capacity + capacity / 8
        let oldest = entries.sorted { $0.value.used < $1.value.used }.prefix(max(1, excess))
        for (key, _) in oldest { entries[key] = nil }
    }
}
