import Foundation
import PaperboyServer
import Testing

struct DayWindowTests {
    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func daysWeeksAndMonthsAreUTCCalendarWindows() {
        let moment = Self.instant("2026-11-25T23:30:00Z")  // a Wednesday
        let day = DayWindow(containing: moment, span: .day)
        #expect(day.start == Self.instant("2026-11-25T00:00:00Z") && day.end == Self.instant("2026-11-26T00:00:00Z"))
        #expect(day.isoDay == "2026-11-25" && day.title == "Wednesday 25 November 2026")
        let week = DayWindow(containing: moment, span: .week)
        #expect(week.start == Self.instant("2026-11-23T00:00:00Z") && week.end == Self.instant("2026-11-30T00:00:00Z"))
        #expect(week.title == "Week of 23 November 2026")
        let month = DayWindow(containing: moment, span: .month)
        #expect(month.start == Self.instant("2026-11-01T00:00:00Z") && month.end == Self.instant("2026-12-01T00:00:00Z"))
        #expect(month.title == "November 2026")
        #expect(month.next.isoDay == "2026-12-01" && month.previous.isoDay == "2026-10-01")
        #expect(day.contains(day.start) && !day.contains(day.end))
    }

    @Test func onlyRealDaysParse() {
        #expect(DayWindow.day("2024-02-29") == Self.instant("2024-02-29T00:00:00Z"))
        for bad in ["2023-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-01T00", "", "yesterday", "2026-00-10"] {
            #expect(DayWindow.day(bad) == nil, "\(bad)")
        }
    }
}
