import Foundation

extension Calendar {
    /// The Gregorian calendar in UTC: paper dates are UTC days.
    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }()
}

/// Days written `yyyy-MM-dd` in UTC, the one way paper dates, feed addresses and harvest
/// cursors name a day.
public enum UTCDay {
    /// `2026-06-11` for the UTC day holding `date`.
    public static func string(_ date: Date) -> String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Midnight UTC of a `yyyy-MM-dd` day; nil for anything else, impossible days included.
    public static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        let calendar = Calendar.utc
        guard let date = calendar.date(from: DateComponents(timeZone: calendar.timeZone, year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day else { return nil }
        return date
    }
}
