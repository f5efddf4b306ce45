import Foundation

/// How often and how patiently a harvester asks a source again after a failure.
///
/// Without a hint from the server the wait is exponential backoff with full jitter (uniform in
/// `0...min(maxDelay, baseDelay · 2^(n-1))` after attempt `n`), so many harvesters that failed
/// together do not return together. When the server says `Retry-After`, that wait is kept
/// exactly, up to `maxRetryAfter`: arXiv asks for it and blocks clients that come back early.
public struct RetryPolicy: Sendable, Hashable {
    /// How many times a request is sent in all, the first one included.
    public var attempts: Int
    /// The ceiling of the first random wait; each later ceiling doubles.
    public var baseDelay: Duration
    /// The highest ceiling a random wait may reach.
    public var maxDelay: Duration
    /// The longest `Retry-After` obeyed; a longer one is cut to this.
    public var maxRetryAfter: Duration

    public init(
        attempts: Int = 5, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(60),
        maxRetryAfter: Duration = .seconds(600)
    ) {
        precondition(attempts >= 1, "a retry policy needs at least one attempt")
        precondition(baseDelay >= .zero && maxDelay >= .zero && maxRetryAfter >= .zero, "delays cannot be negative")
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// How long to wait after attempt `n` (counted from 1) failed: the server's `retryAfter`
    /// when it gave one (capped), else a random wait with full jitter.
    public func delay(afterAttempt n: Int, retryAfter: Duration?, random: inout some RandomNumberGenerator) -> Duration {
        if let retryAfter {
            return min(max(retryAfter, .zero), maxRetryAfter)
        }
        let ceiling = backoffCeiling(afterAttempt: n)
        return .nanoseconds(Int64(UInt64.random(in: 0...UInt64(max(ceiling, 0)), using: &random)))
    }

    /// `min(maxDelay, baseDelay · 2^(n-1))` in nanoseconds, computed without overflowing.
    func backoffCeiling(afterAttempt n: Int) -> Int64 {
        let cap = maxDelay.nanoseconds
        var ceiling = baseDelay.nanoseconds
        var doublings = max(n - 1, 0)
        while doublings > 0, ceiling < cap {
            ceiling = ceiling > Int64.max / 2 ? Int64.max : ceiling * 2
            doublings -= 1
        }
        return min(ceiling, cap)
    }

    /// The wait a `Retry-After` header asks for (RFC 9110 §10.2.3): either delay-seconds
    /// (`120`) or an HTTP-date, counted from `now` (a date in the past means "now").
    /// Nil for anything else, so a garbled header falls back to backoff.
    public static func retryAfter(_ header: String, now: Date) -> Duration? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return .seconds(Int64(text) ?? Int64.max)  // all digits: only overflow can fail
        }
        guard let date = HTTPDate.parse(text, now: now) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .milliseconds(Int64((seconds * 1000).rounded())) : .zero
    }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating instead of overflowing.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        let (sum, overflowSum) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowSum ? Int64.max : sum
    }
}
