import Synchronization

/// The end of a background job, which any number of callers wait for, each only as long as
/// it chooses: a page waits a fraction of a second and then answers with what it has, while
/// a digest (or a test) waits for the job to finish. Awaiting a `Task`'s value cannot be cut
/// short, hence this.
final class Readiness: Sendable {
    private enum State {
        case running([UInt64: CheckedContinuation<Result<Void, any Error>?, Never>], next: UInt64)
        case finished(Result<Void, any Error>)
    }

    private let state = Mutex(State.running([:], next: 0))

    /// Ends the wait of every caller with `result`; later callers get it at once.
    func finish(_ result: Result<Void, any Error>) {
        let waiting = state.withLock { state -> [CheckedContinuation<Result<Void, any Error>?, Never>] in
            guard case .running(let waiting, _) = state else { return [] }
            state = .finished(result)
            return Array(waiting.values)
        }
        for continuation in waiting { continuation.resume(returning: result) }
    }

    /// Whether the job finished, and how, when it finishes within `bound` (nil: however long
    /// it takes); nil when it is still running at the end of the bound.
    func wait(upTo bound: Duration?) async -> Result<Void, any Error>? {
        if case .finished(let result) = state.withLock({ $0 }) { return result }
        if let bound, bound <= .zero { return nil }
        return await withCheckedContinuation { continuation in
            let (ticket, result) = state.withLock { state -> (UInt64?, Result<Void, any Error>?) in
                switch state {
                case .finished(let result):
                    return (nil, result)
                case .running(var waiting, let next):
                    waiting[next] = continuation
                    state = .running(waiting, next: next + 1)
                    return (next, nil)
                }
            }
            guard let ticket else { return continuation.resume(returning: result) }
            if let bound {
                Task {
                    try? await Task.sleep(for: bound)
                    self.giveUp(ticket)
                }
            }
        }
    }

    var isFinished: Bool {
        if case .finished = state.withLock({ $0 }) { return true }
        return false
    }

    private func giveUp(_ ticket: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Result<Void, any Error>?, Never>? in
            guard case .running(var waiting, let next) = state, let continuation = waiting.removeValue(forKey: ticket) else {
                return nil
            }
            state = .running(waiting, next: next)
            return continuation
        }
        continuation?.resume(returning: nil)
    }
}
