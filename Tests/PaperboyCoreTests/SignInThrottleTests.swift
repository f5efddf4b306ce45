import Foundation
import PaperboyCore
import Testing

struct SignInThrottleTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func blocksFromTheLimitUntilTheOldestCountedFailureLeavesTheWindow() {
        let throttle = SignInThrottle(perEmail: 3, perAddress: 10, window: 900)
        let failures = [now - 10, now - 20, now - 30, now - 40]  // newest first
        #expect(throttle.blockedUntil(failures: Array(failures.prefix(2)), limit: 3, now: now) == nil)
        // The three newest count: blocked until the third newest is 900 s old.
        #expect(throttle.blockedUntil(failures: failures, limit: 3, now: now) == now - 30 + 900)
        #expect(throttle.blockedUntil(failures: failures, limit: 3, now: now + 870) == nil)
    }
}
