@testable import PaperboyServer
import Synchronization
import Testing

/// The cache in front of feeds and rendered pages: one computation per key however many
/// readers ask, old values served while a refresh runs, nothing stored across `removeAll()`.
struct RefreshingCacheTests {
    /// Counts computations and hands out their ordinal as the value.
    private final class Counter: Sendable {
        private let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test func concurrentMissesComputeOnce() async throws {
        let cache = RefreshingCache(budget: 100)
        let counter = Counter()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    try await cache.value(for: "k", lifetime: .seconds(60)) {
                        try await Task.sleep(for: .milliseconds(50))
                        return counter.next()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counter.value == 1)
        #expect(values == Array(repeating: 1, count: 64))
    }

    @Test func expiredValueIsServedWhileOneRefreshRuns() async throws {
        let cache = RefreshingCache(budget: 100)
        let counter = Counter()
        let compute: @Sendable () async throws -> Int = {
            try await Task.sleep(for: .milliseconds(100))
            return counter.next()
        }
        #expect(try await cache.value(for: "k", lifetime: .milliseconds(20), compute: compute) == 1)
        try await Task.sleep(for: .milliseconds(40))
        // Expired: every reader gets the old value at once, and one refresh starts.
        let began = ContinuousClock.now
        for _ in 0..<10 { #expect(try await cache.value(for: "k", lifetime: .milliseconds(20), compute: compute) == 1) }
        #expect(began.duration(to: .now) < .milliseconds(100))
        // The refresh runs in the background; wait for it (the suite may keep the cores busy).
        let deadline = ContinuousClock.now + .seconds(30)
        while counter.value < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(50))  // its value is stored just after it is computed
        #expect(counter.value == 2)
        #expect(try await cache.value(for: "k", lifetime: .milliseconds(20), compute: compute) == 2)
    }

    @Test func failedRefreshKeepsTheOldValueAndFailedMissIsNotKept() async throws {
        struct Failure: Error {}
        let cache = RefreshingCache(budget: 100)
        #expect(try await cache.value(for: "k", lifetime: .milliseconds(10)) { 7 } == 7)
        try await Task.sleep(for: .milliseconds(30))
        #expect(try await cache.value(for: "k", lifetime: .milliseconds(10)) { () async throws -> Int in throw Failure() } == 7)
        try await Task.sleep(for: .milliseconds(30))
        #expect(try await cache.value(for: "k", lifetime: .milliseconds(10)) { 8 } == 7)  // the failure stored nothing; this refresh runs
        await #expect(throws: Failure.self) {
            try await cache.value(for: "other", lifetime: .milliseconds(10)) { () async throws -> Int in throw Failure() }
        }
        #expect(try await cache.value(for: "other", lifetime: .milliseconds(10)) { 9 } == 9)
    }

    @Test func removeAllDisownsComputationsInProgress() async throws {
        let cache = RefreshingCache(budget: 100)
        async let old = cache.value(for: "k", lifetime: nil) {
            try await Task.sleep(for: .milliseconds(100))
            return "computed from the old engine"
        }
        try await Task.sleep(for: .milliseconds(20))
        cache.removeAll()
        #expect(try await old == "computed from the old engine")  // its caller still gets it
        #expect(try await cache.value(for: "k", lifetime: nil) { "fresh" } == "fresh")
    }

    @Test func leastRecentlyUsedGoPastTheBudget() async throws {
        let cache = RefreshingCache(budget: 4)
        for key in ["a", "b", "c", "d"] { _ = try await cache.value(for: key, lifetime: nil) { key } }
        _ = try await cache.value(for: "a", lifetime: nil) { "recomputed a" }  // a is now the most recent
        _ = try await cache.value(for: "e", lifetime: nil) { "e" }  // over budget: evicts down to 3 entries
        #expect(cache.count == 3)
        #expect(try await cache.value(for: "a", lifetime: nil) { "recomputed a" } == "a")
        #expect(try await cache.value(for: "b", lifetime: nil) { "recomputed b" } == "recomputed b")
    }

    @Test func budgetZeroComputesEveryTime() async throws {
        let cache = RefreshingCache(budget: 0)
        let counter = Counter()
        for _ in 0..<3 { _ = try await cache.value(for: "k", lifetime: nil) { counter.next() } }
        #expect(counter.value == 3)
        #expect(cache.count == 0)
    }
}
