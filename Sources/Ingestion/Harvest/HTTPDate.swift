import Foundation

/// Reads an HTTP-date (RFC 9110 §5.6.7) in any of the three forms a recipient must accept:
/// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94 08:49:37 GMT` (RFC 850)
/// and `Sun Nov  6 08:49:37 1994` (asctime). All three are in GMT.
enum HTTPDate {
    /// The instant `text` names, or nil when it is none of the three forms. `now` resolves the
    /// two-digit year of the RFC 850 form: a year more than 50 years ahead is taken from the
    /// century before, as RFC 9110 asks.
    static func parse(_ text: String, now: Date) -> Date? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        guard let weekday = fields.first, weekday.count >= 3, weekday.allSatisfy(\.isLetter) else { return nil }
        let day: Int?, month: Int?, year: Int?, clock: String
        switch fields.count {
        case 6 where fields[5] == "GMT":  // IMF-fixdate or RFC 850
            day = Int(fields[1])
            month = monthNumber(fields[2])
            year = fields[3].count == 2 ? Int(fields[3]).map { fullYear(twoDigit: $0, now: now) } : Int(fields[3])
            clock = fields[4]
        case 5:  // asctime
            month = monthNumber(fields[1])
            day = Int(fields[2])
            clock = fields[3]
            year = Int(fields[4])
        default:
            return nil
        }
        let time = clock.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard let day, (1...31).contains(day), let month, let year, (1000...9999).contains(year),
              time.count == 3, let hour = time[0], let minute = time[1], let second = time[2],
              (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = RFC1123Date.daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name).map { $0 + 1 }
    }

    private static func fullYear(twoDigit: Int, now: Date) -> Int {
        let thisYear = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: now).year ?? 2000
        let candidate = thisYear - thisYear % 100 + twoDigit
        return candidate > thisYear + 50 ? candidate - 100 : candidate
    }
}
