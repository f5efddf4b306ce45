import Foundation
import PaperboyCore

/// A `cat:`, `since:` or `until:` in a query: narrows the result, is not scored.
enum QueryFilter: Equatable {
    case category(String)
    case excludedCategory(String)
    case since(Date)
    case until(Date)
}

/// A filter with where it was typed, to point at it when filters contradict each other.
struct LocatedFilter {
    var filter: QueryFilter
    /// The column of the filter's value.
    var column: Int
    /// The value as typed.
    var text: String
}

/// Reads the values of `cat:`, `since:` and `until:`, and folds a query's filters into one
/// `ParsedQuery`.
enum QueryFilters {
    /// Lower-cased code → code as arXiv spells it, for every category and every archive, so
    /// `cat:cs.lg` and `cat:CS` work and `cat:cs.XY` is caught as a typo.
    private static let codesByFoldedCode: [String: String] = {
        var codes: [String: String] = [:]
        for category in ArxivTaxonomy.categories {
            codes[category.code.lowercased()] = codes[category.code.lowercased()] ?? category.code
            codes[category.archive.lowercased()] = codes[category.archive.lowercased()] ?? category.archive
        }
        return codes
    }()

    /// The arXiv code a `cat:` value stands for (`cs.lg` → `cs.LG`, `cs.*` → `cs`), nil when
    /// it is neither a category nor an archive.
    static func category(_ text: String) -> String? {
        var folded = text.lowercased()
        if folded.hasSuffix(".*") { folded.removeLast(2) }
        return codesByFoldedCode[folded]
    }

    enum DayBound {
        /// The first day a partial date covers (`since:2024` → 2024-01-01).
        case first
        /// The last day a partial date covers (`until:2024-02` → 2024-02-29).
        case last
    }

    /// Midnight UTC of the day `text` (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) names, or why it
    /// names none, in words for the reader.
    static func day(_ text: String, _ bound: DayBound) -> Result<Date, DateProblem> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let digitsOnly = parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard (1...3).contains(parts.count), digitsOnly, parts[0].count == 4,
              parts.dropFirst().allSatisfy({ $0.count <= 2 }),
              let year = Int(parts[0]), year >= 1 else {
            return .failure(DateProblem(text: "\(text) is not a date: write it as YYYY-MM-DD, YYYY-MM or YYYY, like 2024-01-31"))
        }
        let month = parts.count > 1 ? Int(parts[1]) ?? 0 : (bound == .first ? 1 : 12)
        guard (1...12).contains(month) else {
            return .failure(DateProblem(text: "\(text) is not a date: there is no month \(month), months run from 01 to 12"))
        }
        let length = daysIn(month: month, year: year)
        let day = parts.count > 2 ? Int(parts[2]) ?? 0 : (bound == .first ? 1 : length)
        guard (1...length).contains(day) else {
            return .failure(DateProblem(text: "\(text) is not a date: that month has \(length) days"))
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return .success(Date(timeIntervalSince1970: Double(days) * 86_400))
    }

    /// Why a date value names no day.
    struct DateProblem: Error {
        var text: String
    }

    /// Sets the query's filters: categories in the order typed without repeats, the latest
    /// `since:` and the earliest `until:` (all of them hold at once). A range that no day is
    /// in is an error at whichever of its two ends was typed last.
    static func apply(_ filters: [LocatedFilter], to query: inout ParsedQuery, typed: String) throws(QuerySyntaxError) {
        var since: LocatedFilter?
        var until: LocatedFilter?
        for located in filters {
            switch located.filter {
            case .category(let code):
                if !query.categories.contains(code) { query.categories.append(code) }
            case .excludedCategory(let code):
                if !query.excludedCategories.contains(code) { query.excludedCategories.append(code) }
            case .since(let date):
                if query.since.map({ date > $0 }) ?? true { query.since = date; since = located }
            case .until(let date):
                if query.until.map({ date < $0 }) ?? true { query.until = date; until = located }
            }
        }
        guard let since, let until, let first = query.since, let last = query.until, first > last else { return }
        throw QuerySyntaxError(
            .emptyDateRange,
            "until:\(until.text) is before since:\(since.text), so no paper can match: fix one of the dates",
            column: max(since.column, until.column), query: typed)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`): plain arithmetic, so the result does not depend on a time zone or
    /// a calendar setting.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
