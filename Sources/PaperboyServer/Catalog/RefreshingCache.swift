import Synchronization

/// Computed values by key, kept for a lifetime, so the hottest addresses (the daily page, a
/// popular search) cost a dictionary lookup instead of a ranking and a rendering.
///
/// Two rules keep latency flat under load, where a plain expiring cache spikes:
/// - a missing value is computed once: callers asking for the same key meanwhile wait for
///   that one computation instead of repeating it (no stampede when an entry expires under
///   64 concurrent readers);
/// - an expired value keeps being served while one background task recomputes it, so no
///   reader waits for a refresh, and a failed refresh leaves the old value in place.
///
/// Entries cost what `cost` says (bytes for rendered pages, 1 for feeds); past `budget` the
/// least recently used go. `removeAll()` also disowns computations still running, so a value
/// computed from an engine that was just replaced is never stored. A budget of 0 caches
/// nothing (each call computes), which is how the benchmarks measure the uncached path.
final class RefreshingCache: Sendable {
    private struct Entry {
        var value: any Sendable
        var cost: Int
        /// Nil: never expires (it goes only when evicted or removed).
        var expires: ContinuousClock.Instant?
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var computing: [String: Task<any Sendable, any Error>] = [:]
        var cost = 0
        var uses: UInt64 = 0
        /// Advanced by `removeAll()`: a computation started in an earlier epoch is not stored.
        var epoch: UInt64 = 0
    }

    let budget: Int
    private let state = Mutex(State())

    init(budget: Int) {
        self.budget = budget
    }

    /// The value for `key`, fresh or being refreshed, or computed by `compute` (once for
    /// every concurrent caller) when there is none. A value this call stores lives
    /// `lifetime`, or until it is evicted or removed when nil.
    func value<T: Sendable>(for key: String, lifetime: Duration?, cost: @escaping @Sendable (T) -> Int = { _ in 1 },
                            compute: @escaping @Sendable () async throws -> T) async throws -> T {
        guard budget > 0 else { return try await compute() }
        let now = ContinuousClock.now
        // Either the kept value, or the computation to wait for.
        let found: (value: T?, computing: Task<any Sendable, any Error>?) = state.withLock { state in
            state.uses += 1
            if var entry = state.entries[key], let value = entry.value as? T {
                entry.lastUse = state.uses
                state.entries[key] = entry
                if let expires = entry.expires, expires <= now, state.computing[key] == nil {
                    state.computing[key] = start(key, epoch: state.epoch, lifetime: lifetime, cost: cost, compute: compute)
                }
                return (value, nil)
            }
            if let running = state.computing[key] { return (nil, running) }
            let task = start(key, epoch: state.epoch, lifetime: lifetime, cost: cost, compute: compute)
            state.computing[key] = task
            return (nil, task)
        }
        if let value = found.value { return value }
        // Keys name what they hold, so a value of another type under this key would be a
        // caller's mistake; computing directly keeps the answer right even then.
        guard let task = found.computing, let value = try await task.value as? T else { return try await compute() }
        return value
    }

    /// Computes `key`'s value in a task of its own (a reader that hangs up does not cancel
    /// it for the others waiting) and stores it unless `removeAll()` ran meanwhile.
    private func start<T: Sendable>(_ key: String, epoch: UInt64, lifetime: Duration?, cost: @escaping @Sendable (T) -> Int,
                                    compute: @escaping @Sendable () async throws -> T) -> Task<any Sendable, any Error> {
        Task { [budget] in
            do {
                let value = try await compute()
                self.state.withLock { state in
                    guard state.epoch == epoch else { return }
                    state.computing[key] = nil
                    state.uses += 1
                    let entry = Entry(value: value, cost: max(cost(value), 1),
                                      expires: lifetime.map { ContinuousClock.now.advanced(by: $0) }, lastUse: state.uses)
                    state.cost += entry.cost - (state.entries.updateValue(entry, forKey: key)?.cost ?? 0)
                    if state.cost > budget { Self.evict(&state, downTo: budget * 3 / 4) }
                }
                return value
            } catch {
                self.state.withLock { state in
                    if state.epoch == epoch { state.computing[key] = nil }
                }
                throw error
            }
        }
    }

    /// Drops the least recently used entries until the total cost is at most `target`.
    private static func evict(_ state: inout State, downTo target: Int) {
        for (key, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            guard state.cost > target else { break }
            state.entries[key] = nil
            state.cost -= entry.cost
        }
    }

    /// Forgets every value and every computation in progress (their results will not be
    /// stored): what they were computed from changed.
    func removeAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.computing.removeAll()
            state.cost = 0
            state.epoch += 1
        }
    }

    /// How many values are kept.
    var count: Int { state.withLock { $0.entries.count } }
}
