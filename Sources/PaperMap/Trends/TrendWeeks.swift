import Foundation

/// The weeks a trend is counted over: ISO weeks, Monday 00:00 UTC up to the next Monday,
/// the newest one last.
///
/// They are anchored like the catalog's feeds: at the week holding the newest paper, or the
/// week holding today when that is earlier (a paper dated in the future does not drag the
/// window ahead). A store of last year's papers therefore still shows its last half year
/// rather than 26 empty weeks. The newest week is *partial* when today falls inside it: its
/// count is still growing, so it is drawn apart and never scored as "rising".
///
/// Days are whole days since 1970-01-01 UTC, as `PaperMap.publishedDay` and the keyword
/// index store them, so a paper's week is plain integer arithmetic, independent of any
/// time zone or calendar setting.
public struct TrendWeeks: Sendable, Hashable {
    /// The Monday of each week, oldest first.
    public let mondays: [Int32]
    /// Whether the newest week has not ended yet (today lies inside it).
    public let latestIsPartial: Bool

    /// Weeks counted when nobody asks for another number: half a year.
    public static let defaultCount = 26

    /// `count` weeks ending with the week holding `min(newestDay, today)`.
    public init(newestDay: Int32, today: Int32, count: Int = Self.defaultCount) {
        precondition(count > 0, "a trend covers at least one week")
        let anchor = min(newestDay, today)
        let last = Self.monday(of: anchor)
        mondays = (0..<count).map { last - Int32(7 * (count - 1 - $0)) }
        latestIsPartial = today < last + 7
    }

    /// The Monday starting the ISO week that holds `day`. 1970-01-01 was a Thursday, so
    /// Monday-based weeks start three days before multiples of seven.
    public static func monday(of day: Int32) -> Int32 {
        let shifted = Int64(day) + 3
        let weekday = ((shifted % 7) + 7) % 7  // 0 = Monday … 6 = Sunday
        return Int32(Int64(day) - weekday)
    }

    /// The whole UTC day holding `date`, counted from 1970-01-01.
    public static func day(of date: Date) -> Int32 {
        Int32(clamping: Int64((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// Midnight UTC starting `day`.
    public static func date(of day: Int32) -> Date {
        Date(timeIntervalSince1970: Double(day) * 86_400)
    }

    public var count: Int { mondays.count }

    /// The first day of the window (the oldest Monday).
    public var firstDay: Int32 { mondays[0] }
    /// The first day after the window (the Monday after the newest week).
    public var endDay: Int32 { mondays[mondays.count - 1] + 7 }

    /// The index of the week holding `day`, nil outside the window.
    public func index(of day: Int32) -> Int? {
        guard day >= firstDay, day < endDay else { return nil }
        return Int((day - firstDay) / 7)
    }

    /// The newest week whose count is final: the last one, or the one before it when the
    /// last is partial. Nil when the window is one partial week.
    public var scoredWeek: Int? {
        let index = latestIsPartial ? count - 2 : count - 1
        return index >= 0 ? index : nil
    }
}
