/// A failed attempt that asking again may fix: what happened, in words for the log and the
/// final error, and how long the server asked us to wait, if it did.
struct Setback: Error {
    var reason: String
    var retryAfter: Duration?
    /// The `HarvestError` code when this setback is the last one.
    var finalCode: HarvestError.Code = .unreachable
    var cause: (any Error)?

    init(reason: String, retryAfter: Duration? = nil, finalCode: HarvestError.Code = .unreachable, cause: (any Error)? = nil) {
        self.reason = reason
        self.retryAfter = retryAfter
        self.finalCode = finalCode
        self.cause = cause
    }

    /// The error a person sees once every attempt has failed like this one.
    func harvestError(url: String, attempts: Int) -> HarvestError {
        let tries = attempts == 1 ? "the only attempt" : "all \(attempts) attempts"
        let advice = finalCode == .malformed
            ? "The source keeps sending it cut short; try again later."
            : "Check the address and the network, or try again later."
        return HarvestError(finalCode, url: url, message: "Could not fetch \(url): \(reason) on \(tries). \(advice)", cause: cause)
    }
}

/// One attempt took longer than the client's timeout.
struct AttemptDeadlineExceeded: Error, CustomStringConvertible {
    var description: String { "the attempt's deadline passed" }
}

/// Runs `operation`, or throws `AttemptDeadlineExceeded` (and cancels it) when it is still running
/// at `deadline`. The HTTP client's own timeout stops at the response head; this one covers a
/// body that stalls halfway.
func within<T: Sendable>(
    _ deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(until: deadline, clock: .continuous)
            throw AttemptDeadlineExceeded()
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw AttemptDeadlineExceeded() }
        return first
    }
}
