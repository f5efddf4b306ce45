import Foundation

/// When a scheduled harvest runs: once a day at a wall-clock time in a time zone (arXiv
/// announces new papers at 20:00 US Eastern, daylight saving time included, so the zone is a
/// named one, not an offset), or at a fixed interval (Hugging Face upvotes keep changing).
public enum HarvestSchedule: Sendable, Equatable, CustomStringConvertible {
    case daily(DailyTime, TimeZone)
    case every(Duration)

    /// After arXiv's 20:00 announcement, with half an hour for its listings to settle.
    public static let afterArxivAnnouncement = HarvestSchedule.daily(afterAnnouncement, arxivTimeZone)
    public static let afterAnnouncement = DailyTime(hour: 20, minute: 30)
    /// arXiv's schedule is kept in US Eastern time.
    public static let arxivTimeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3_600) ?? .gmt
    public static let hourly = HarvestSchedule.every(.seconds(3_600))

    /// The first run strictly after `date`.
    public func nextRun(after date: Date) -> Date {
        switch self {
        case .every(let interval):
            return date.addingTimeInterval(max(0.001, interval.seconds))
        case .daily(let time, let zone):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let wanted = DateComponents(hour: time.hour, minute: time.minute, second: 0)
            // `.nextTime`: on the spring-forward day a missing 02:30 runs at 03:00, not a day late.
            return calendar.nextDate(after: date, matching: wanted, matchingPolicy: .nextTime)
                ?? date.addingTimeInterval(86_400)
        }
    }

    public var description: String {
        switch self {
        case .daily(let time, let zone): "daily at \(time) \(zone.identifier)"
        case .every(let interval): "every \(Int(interval.seconds / 60)) minutes"
        }
    }
}

/// A time of day, `HH:MM`.
public struct DailyTime: Sendable, Equatable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int

    public init(hour: Int, minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// Reads `20:30`; nil for anything else.
    public init?(_ text: String) {
        guard let match = text.wholeMatch(of: /(\d{1,2}):(\d{2})/),
              let hour = Int(match.1), let minute = Int(match.2), hour < 24, minute < 60 else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String { String(format: "%02d:%02d", hour, minute) }
}
