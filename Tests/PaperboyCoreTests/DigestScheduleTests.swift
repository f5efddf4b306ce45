import Foundation
@testable import PaperboyCore
import PaperboyTesting
import Testing

/// When digests fall due: local send hours, daylight saving, ISO weeks, late and missed periods.
struct DigestScheduleTests {
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    static func schedule(_ frequency: DigestFrequency = .daily, hour: Int, zone: String) -> DigestSchedule {
        DigestSchedule(frequency: frequency, sendHour: hour, timeZone: TimeZone(identifier: zone)!)
    }

    @Test func dailyIsDueFromTheLocalSendHourAndNamedByTheLocalDay() {
        let schedule = Self.schedule(hour: 7, zone: "America/New_York")
        let since = Self.instant("2026-11-20T00:00:00Z")
        // 07:00 EST is 12:00 UTC.
        #expect(schedule.duePeriod(at: Self.instant("2026-11-26T11:59:59Z"), since: since, last: DigestPeriod(rawValue: "2026-11-25")) == nil)
        let due = schedule.duePeriod(at: Self.instant("2026-11-26T12:00:00Z"), since: since, last: DigestPeriod(rawValue: "2026-11-25"))
        #expect(due == DuePeriod(period: DigestPeriod(rawValue: "2026-11-26"), scheduledAt: Self.instant("2026-11-26T12:00:00Z")))
        // In summer the same local hour is an hour earlier in UTC.
        #expect(schedule.duePeriod(at: Self.instant("2026-07-01T11:00:00Z"), since: since - 200 * 86_400, last: nil)?.period.rawValue == "2026-07-01")
        // Tokyo's 06:00 on the 27th is still the 26th in UTC.
        let tokyo = Self.schedule(hour: 6, zone: "Asia/Tokyo")
        #expect(tokyo.duePeriod(at: Self.instant("2026-11-26T21:00:00Z"), since: since, last: nil)?.period.rawValue == "2026-11-27")
    }

    @Test func aSendHourThatDoesNotExistSendsAtTheFirstInstantAfterTheJump() {
        // Berlin skips 02:00–03:00 on 2026-03-29 (01:00 UTC).
        let berlin = Self.schedule(hour: 2, zone: "Europe/Berlin")
        #expect(berlin.sendInstant(on: CivilDate(year: 2026, month: 3, day: 29)) == Self.instant("2026-03-29T01:00:00Z"))
        #expect(berlin.sendInstant(on: CivilDate(year: 2026, month: 3, day: 28)) == Self.instant("2026-03-28T01:00:00Z"))
        #expect(berlin.sendInstant(on: CivilDate(year: 2026, month: 3, day: 30)) == Self.instant("2026-03-30T00:00:00Z"))
        // New York skips 02:00 on 2026-03-08: 03:00 EDT is 07:00 UTC.
        let newYork = Self.schedule(hour: 2, zone: "America/New_York")
        #expect(newYork.sendInstant(on: CivilDate(year: 2026, month: 3, day: 8)) == Self.instant("2026-03-08T07:00:00Z"))
        // Lord Howe moves by half an hour: 02:00 does not exist on 2026-10-04, 02:30 does.
        let lordHowe = Self.schedule(hour: 2, zone: "Australia/Lord_Howe")
        let jump = lordHowe.sendInstant(on: CivilDate(year: 2026, month: 10, day: 4))
        #expect(TimeZone(identifier: "Australia/Lord_Howe")!.secondsFromGMT(for: jump) == 11 * 3_600)
        #expect(TimeZone(identifier: "Australia/Lord_Howe")!.secondsFromGMT(for: jump - 1) == 10 * 3_600 + 1_800)
    }

    @Test func aSendHourThatHappensTwiceSendsOnce() {
        // New York's 01:00 happens twice on 2026-11-01: first at 05:00 UTC (EDT).
        let schedule = Self.schedule(hour: 1, zone: "America/New_York")
        #expect(schedule.sendInstant(on: CivilDate(year: 2026, month: 11, day: 1)) == Self.instant("2026-11-01T05:00:00Z"))
        let first = schedule.duePeriod(at: Self.instant("2026-11-01T05:00:00Z"), since: Self.instant("2026-10-31T06:00:00Z"), last: DigestPeriod(rawValue: "2026-10-31"))
        #expect(first?.period.rawValue == "2026-11-01")
        // An hour later the clock reads 01:00 again; the period is recorded, so nothing is due.
        #expect(schedule.duePeriod(at: Self.instant("2026-11-01T06:00:00Z"), since: Self.instant("2026-11-01T05:00:00Z"),
                                   last: DigestPeriod(rawValue: "2026-11-01")) == nil)
    }

    @Test func aMachineThatSleptSendsTheLatestPeriodLateAndNeverTwoAtOnce() {
        let schedule = Self.schedule(hour: 8, zone: "UTC")
        let lastSent = Self.instant("2026-11-23T08:00:30Z")
        let last = DigestPeriod(rawValue: "2026-11-23")
        // Asleep from the 24th to the 26th at 07:00: the 25th is sent, late; the 24th never.
        let late = schedule.duePeriod(at: Self.instant("2026-11-26T07:00:00Z"), since: lastSent, last: last)
        #expect(late?.period.rawValue == "2026-11-25")
        let recorded = Self.instant("2026-11-26T07:00:00Z")
        #expect(schedule.duePeriod(at: recorded + 60, since: recorded, last: late?.period) == nil)
        #expect(schedule.nextSendInstant(since: recorded, last: late?.period) == Self.instant("2026-11-26T08:00:00Z"))
        #expect(schedule.duePeriod(at: Self.instant("2026-11-26T08:00:00Z"), since: recorded, last: late?.period)?.period.rawValue == "2026-11-26")
    }

    @Test func nothingScheduledBeforeConfirmationIsDue() {
        let schedule = Self.schedule(hour: 8, zone: "UTC")
        let confirmed = Self.instant("2026-11-26T10:00:00Z")
        #expect(schedule.duePeriod(at: confirmed + 3_600, since: confirmed, last: nil) == nil)
        #expect(schedule.nextSendInstant(since: confirmed, last: nil) == Self.instant("2026-11-27T08:00:00Z"))
    }

    @Test func weeklyPeriodsAreISOWeeksOfTheSendDay() {
        #expect(CivilDate(year: 2026, month: 11, day: 26).isoWeek == "2026-W48")
        #expect(CivilDate(year: 2026, month: 12, day: 31).isoWeek == "2026-W53")
        #expect(CivilDate(year: 2027, month: 1, day: 1).isoWeek == "2026-W53")
        #expect(CivilDate(year: 2024, month: 12, day: 30).isoWeek == "2025-W01")
        #expect(CivilDate(year: 2026, month: 11, day: 26).isoWeekday == 4)  // a Thursday
        // Mondays at 09:00 in Paris.
        let schedule = Self.schedule(.weekly(weekday: 1), hour: 9, zone: "Europe/Paris")
        let since = Self.instant("2026-11-01T00:00:00Z")
        let due = schedule.duePeriod(at: Self.instant("2026-11-26T12:00:00Z"), since: since, last: nil)
        #expect(due == DuePeriod(period: DigestPeriod(rawValue: "2026-W48"), scheduledAt: Self.instant("2026-11-23T08:00:00Z")))
        #expect(schedule.duePeriod(at: Self.instant("2026-11-26T12:00:00Z"), since: since, last: due?.period) == nil)
        #expect(schedule.nextSendInstant(since: Self.instant("2026-11-23T08:00:01Z"), last: due?.period) == Self.instant("2026-11-30T08:00:00Z"))
    }

    /// `nextSendInstant` is exactly when `duePeriod` starts answering, in any zone.
    @Test func nextSendInstantAgreesWithDuePeriod() {
        var random = SplitMix64(seed: 48)
        let zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Pacific/Chatham"]
        for _ in 0..<400 {
            let zone = zones[Int(random.next() % UInt64(zones.count))]
            let frequency: DigestFrequency = random.next() % 2 == 0 ? .daily : .weekly(weekday: Int(random.next() % 7) + 1)
            let schedule = Self.schedule(frequency, hour: Int(random.next() % 24), zone: zone)
            let since = Self.instant("2026-01-01T00:00:00Z") + Double(random.next() % (365 * 86_400))
            guard let next = schedule.nextSendInstant(since: since, last: nil) else {
                Issue.record("no next instant for \(schedule)")
                continue
            }
            #expect(next >= since)
            #expect(schedule.duePeriod(at: next - 1, since: since, last: nil) == nil, "\(schedule) since \(since)")
            #expect(schedule.duePeriod(at: next, since: since, last: nil)?.scheduledAt == next, "\(schedule) since \(since)")
        }
    }

    @Test func onlyConfirmedSubscriptionsAreDue() throws {
        let options = try DigestOptions(sendHour: 8)
        let created = Self.instant("2026-11-20T00:00:00Z")
        var subscription = Subscription(id: SubscriptionID(rawValue: 1), email: "ada@example.org", reader: nil,
                                        state: .pending, options: options, createdAt: created)
        let now = Self.instant("2026-11-26T09:00:00Z")
        #expect(subscription.duePeriod(at: now) == nil && subscription.nextDueAt == nil)
        subscription.state = .confirmed
        subscription.confirmedAt = created
        #expect(subscription.duePeriod(at: now)?.period.rawValue == "2026-11-26")
        subscription.state = .unsubscribed
        #expect(subscription.duePeriod(at: now) == nil && subscription.nextDueAt == nil)
    }
}
