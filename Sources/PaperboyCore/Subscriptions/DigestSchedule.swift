import Foundation

/// When digests fall due: pure arithmetic over a frequency, a local send hour and a time zone.
///
/// Local days are counted as civil dates and turned into instants by the zone's offsets, so
/// daylight saving never moves the send hour: a send hour that does not exist that day (the
/// clocks jump over it) sends at the first instant after the jump; one that happens twice
/// sends at the first. A period is due from its send instant on, for as long as it is the
/// latest period begun: a machine that slept through the hour sends late rather than never,
/// and one that slept through several periods sends the latest only, never two at once.
public struct DigestSchedule: Sendable, Hashable {
    public var frequency: DigestFrequency
    public var sendHour: Int
    public var timeZone: TimeZone

    public init(frequency: DigestFrequency, sendHour: Int, timeZone: TimeZone) {
        self.frequency = frequency
        self.sendHour = sendHour
        self.timeZone = timeZone
    }

    /// The latest period whose send instant is at or before `now`, if it was scheduled no
    /// earlier than `since` (confirmation, or the last digest) and is not `last`.
    public func duePeriod(at now: Date, since: Date, last: DigestPeriod?) -> DuePeriod? {
        guard let latest = latestPeriod(atOrBefore: now) else { return nil }
        guard latest.scheduledAt >= since, latest.period != last else { return nil }
        return latest
    }

    /// The first send instant at or after `since` of a period other than `last`: when
    /// `duePeriod` will next answer.
    public func nextSendInstant(since: Date, last: DigestPeriod?) -> Date? {
        var day = CivilDate(containing: since, in: timeZone).adding(days: -1)
        for _ in 0..<16 {
            if let due = period(on: day), due.scheduledAt >= since, due.period != last { return due.scheduledAt }
            day = day.adding(days: 1)
        }
        return nil
    }

    /// The latest period begun at `now`.
    func latestPeriod(atOrBefore now: Date) -> DuePeriod? {
        var day = CivilDate(containing: now, in: timeZone).adding(days: 1)
        for _ in 0..<16 {
            if let due = period(on: day), due.scheduledAt <= now { return due }
            day = day.adding(days: -1)
        }
        return nil
    }

    /// The period sent on local day `day`, if one is sent that day.
    func period(on day: CivilDate) -> DuePeriod? {
        switch frequency {
        case .daily:
            return DuePeriod(period: DigestPeriod(rawValue: day.isoDay), scheduledAt: sendInstant(on: day))
        case .weekly(let weekday):
            guard day.isoWeekday == weekday else { return nil }
            return DuePeriod(period: DigestPeriod(rawValue: day.isoWeek), scheduledAt: sendInstant(on: day))
        }
    }

    /// `sendHour`:00 local time on `day`; across a gap, the first instant after it; when the
    /// hour happens twice, the first time.
    func sendInstant(on day: CivilDate) -> Date {
        let wall = day.secondsAsUTC + Int64(sendHour) * 3_600
        let offsets = Set([-86_400, 0, 86_400].map { Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wall + $0)))) })
        let exact = offsets.map { wall - $0 }.filter { offset(at: $0) == wall - $0 }
        if let first = exact.min() { return Date(timeIntervalSince1970: Double(first)) }
        // In a gap: the first instant whose local time is past `wall`.
        var low = wall - (offsets.max() ?? 0), high = wall - (offsets.min() ?? 0)
        while low < high {
            let middle = low + (high - low) / 2
            if middle + offset(at: middle) >= wall { high = middle } else { low = middle + 1 }
        }
        return Date(timeIntervalSince1970: Double(low))
    }

    private func offset(at instant: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }
}

/// A date on the calendar without a time or a zone, for counting local days.
struct CivilDate: Hashable, Sendable {
    var year: Int, month: Int, day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The local date of `instant` in `zone`.
    init(containing instant: Date, in zone: TimeZone) {
        let local = instant.addingTimeInterval(Double(zone.secondsFromGMT(for: instant)))
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: local)
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// Midnight of this date read as UTC, in seconds since 1970.
    var secondsAsUTC: Int64 {
        let date = Calendar.utc.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
        return Int64(date.timeIntervalSince1970.rounded())
    }

    func adding(days: Int) -> CivilDate {
        let date = Date(timeIntervalSince1970: Double(secondsAsUTC + Int64(days) * 86_400))
        return CivilDate(containing: date, in: .gmt)
    }

    /// 1 for Monday through 7 for Sunday.
    var isoWeekday: Int {
        let daysSinceEpoch = Int(secondsAsUTC / 86_400)  // 1970-01-01 was a Thursday
        return ((daysSinceEpoch + 3) % 7 + 7) % 7 + 1
    }

    /// `2026-11-26`.
    var isoDay: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// `2026-W48`: the ISO week, whose year is that of its Thursday.
    var isoWeek: String {
        let thursday = adding(days: 4 - isoWeekday)
        let january1 = CivilDate(year: thursday.year, month: 1, day: 1)
        let week = Int((thursday.secondsAsUTC - january1.secondsAsUTC) / 86_400) / 7 + 1
        return String(format: "%04d-W%02d", thursday.year, week)
    }
}
