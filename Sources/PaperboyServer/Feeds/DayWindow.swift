import Foundation
import PaperboyCore

/// How much of the daily feed one page shows.
public enum FeedSpan: String, CaseIterable, Sendable {
    case day, week, month
}

/// The stretch of time one daily-feed page covers: a UTC day, an ISO week (Monday first) or
/// a calendar month. Papers belong to the window of their first publication instant; UTC
/// rather than arXiv's New York announcement day keeps a paper's day the same for every
/// reader and every node.
public struct DayWindow: Sendable, Hashable {
    public let span: FeedSpan
    /// First instant inside the window.
    public let start: Date
    /// First instant after it.
    public let end: Date

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()

    /// The window of `span` that holds `date`.
    public init(containing date: Date, span: FeedSpan) {
        let calendar = Self.calendar
        let component: Calendar.Component = switch span {
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        }
        let interval = calendar.dateInterval(of: component, for: date)
            ?? DateInterval(start: calendar.startOfDay(for: date), duration: 86_400)
        self.span = span
        start = interval.start
        end = interval.end
    }

    public var previous: DayWindow { DayWindow(containing: start.addingTimeInterval(-1), span: span) }
    public var next: DayWindow { DayWindow(containing: end, span: span) }

    public func contains(_ date: Date) -> Bool { date >= start && date < end }

    /// `2026-11-24`: the window's first day, the form links and the API use.
    public var isoDay: String { Self.isoDay(start) }

    /// What a page heading says: `Tuesday 24 November 2026`, `Week of 23 November 2026`,
    /// `November 2026`.
    public var title: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Self.calendar.timeZone
        switch span {
        case .day: formatter.dateFormat = "EEEE d MMMM yyyy"
        case .week: formatter.dateFormat = "'Week of' d MMMM yyyy"
        case .month: formatter.dateFormat = "MMMM yyyy"
        }
        return formatter.string(from: start)
    }

    static func isoDay(_ date: Date) -> String { UTCDay.string(date) }

    /// Parses `yyyy-MM-dd` as a UTC day; nil for anything else (the caller answers 400).
    public static func day(_ text: String) -> Date? { UTCDay.date(text) }
}
