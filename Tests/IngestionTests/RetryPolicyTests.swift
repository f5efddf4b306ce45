import Foundation
import PaperboyTesting
import Testing

@testable import Ingestion

/// `Sun, 06 Nov 1994 08:49:37 GMT`, the example date of RFC 9110.
private let rfcExampleDate = Date(timeIntervalSince1970: 784_111_777)

@Suite struct RetryPolicyTests {
    private let policy = RetryPolicy(
        attempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxRetryAfter: .seconds(120))

    @Test func backoffIsFullJitterUnderADoublingCeiling() {
        var random = SplitMix64(seed: 42)
        let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)]
        for (index, ceiling) in ceilings.enumerated() {
            let delays = (0..<500).map { _ in policy.delay(afterAttempt: index + 1, retryAfter: nil, random: &random) }
            #expect(delays.allSatisfy { $0 >= .zero && $0 <= ceiling }, "attempt \(index + 1)")
            // Full jitter spreads over the whole range, not just near the ceiling or near zero.
            #expect(delays.contains { $0 < ceiling * 0.1 }, "attempt \(index + 1)")
            #expect(delays.contains { $0 > ceiling * 0.9 }, "attempt \(index + 1)")
        }
    }

    @Test func sameSeedGivesSameWaits() {
        var first = SplitMix64(seed: 7)
        var second = SplitMix64(seed: 7)
        let a = (1...6).map { policy.delay(afterAttempt: $0, retryAfter: nil, random: &first) }
        let b = (1...6).map { policy.delay(afterAttempt: $0, retryAfter: nil, random: &second) }
        #expect(a == b)
        #expect(Set(a).count > 1)
    }

    @Test func ceilingStopsAtMaxDelayEvenAfterManyAttempts() {
        #expect(policy.backoffCeiling(afterAttempt: 1) == 100_000_000)
        #expect(policy.backoffCeiling(afterAttempt: 4) == 800_000_000)
        #expect(policy.backoffCeiling(afterAttempt: 5) == 1_000_000_000)
        #expect(policy.backoffCeiling(afterAttempt: 10_000) == 1_000_000_000)
        var random = SplitMix64(seed: 1)
        #expect(policy.delay(afterAttempt: Int.max, retryAfter: nil, random: &random) <= .seconds(1))
    }

    @Test func retryAfterIsKeptExactlyWhateverTheAttempt() {
        var random = SplitMix64(seed: 3)
        for attempt in 1...6 {
            #expect(policy.delay(afterAttempt: attempt, retryAfter: .seconds(7), random: &random) == .seconds(7))
        }
        // Longer than the random ceiling: the server's word wins over maxDelay.
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(30), random: &random) == .seconds(30))
    }

    @Test func retryAfterIsCappedByMaxRetryAfter() {
        var random = SplitMix64(seed: 3)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3_600), random: &random) == .seconds(120))
    }

    @Test func readsDelaySeconds() {
        #expect(RetryPolicy.retryAfter("120", now: rfcExampleDate) == .seconds(120))
        #expect(RetryPolicy.retryAfter(" 1 ", now: rfcExampleDate) == .seconds(1))
        #expect(RetryPolicy.retryAfter("0", now: rfcExampleDate) == .zero)
    }

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:50:07 GMT",  // IMF-fixdate
        "Sunday, 06-Nov-94 08:50:07 GMT",  // RFC 850
        "Sun Nov  6 08:50:07 1994",  // asctime
    ])
    func readsEveryHTTPDateForm(_ header: String) {
        #expect(RetryPolicy.retryAfter(header, now: rfcExampleDate) == .seconds(30))
    }

    @Test func twoDigitYearMoreThanFiftyYearsAheadIsTheCenturyBefore() {
        let inMay2026 = Date(timeIntervalSince1970: 1_779_000_000)
        let date = HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: inMay2026)
        #expect(date == rfcExampleDate)
    }

    @Test func dateInThePastMeansNow() {
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:36 GMT", now: rfcExampleDate) == .zero)
    }

    @Test(arguments: [
        "", "soon", "-5", "1.5", "12abc", "Sun, 06 Nov 1994", "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 CET",
    ])
    func garbageGivesNoWait(_ header: String) {
        #expect(RetryPolicy.retryAfter(header, now: rfcExampleDate) == nil)
    }
}
