import Foundation

/// When a temporarily refused message is tried again: `first` after the first failure,
/// doubling up to `ceiling`, until it has been tried `maxAttempts` times or was recorded more
/// than `maxAge` ago. The defaults (5 minutes doubling to 6 hours, 10 attempts, 3 days) wait
/// out a server's maintenance or a full mailbox, about as patiently as mail servers do, without
/// keeping a digest that long since lost its news.
public struct OutboxRetryPolicy: Sendable, Hashable {
    public var first: TimeInterval
    public var ceiling: TimeInterval
    public var maxAttempts: Int
    public var maxAge: TimeInterval

    public init(first: TimeInterval = 300, ceiling: TimeInterval = 6 * 3_600, maxAttempts: Int = 10, maxAge: TimeInterval = 3 * 86_400) {
        self.first = first
        self.ceiling = ceiling
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
    }

    /// The wait after the `attempts`th failed attempt (1-based).
    public func delay(after attempts: Int) -> TimeInterval {
        min(ceiling, first * pow(2, Double(min(max(0, attempts - 1), 62))))
    }

    /// When to try a message again that has now failed `attempts` times, or nil to give up.
    public func nextAttempt(after attempts: Int, firstRecorded: Date, now: Date) -> Date? {
        let next = now + delay(after: attempts)
        guard attempts < maxAttempts, next.timeIntervalSince(firstRecorded) <= maxAge else { return nil }
        return next
    }
}
