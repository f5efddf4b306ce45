import Foundation
import Hummingbird

/// A request parameter the app cannot use: answered with 400 and a sentence naming the
/// parameter (and, for a query that does not parse, the column of the mistake).
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    public var parameter: String
    public var message: String
    /// 1-based column in the parameter's value, for query syntax errors.
    public var column: Int?

    public init(_ parameter: String, _ message: String, column: Int? = nil) {
        self.parameter = parameter
        self.message = message
        self.column = column
    }

    public var description: String {
        if let column { return "\(parameter), column \(column): \(message)" }
        return "\(parameter): \(message)"
    }
}

/// Reads and checks query-string parameters, each failure a `ParameterError`.
public struct Parameters: Sendable {
    private let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The query string of `request` read as HTML forms send it
    /// (`application/x-www-form-urlencoded`: `+` is a space, then percent-escapes are
    /// decoded, so a form's "quantum dots" arriving as `q=quantum+dots` reads back as typed).
    /// A parameter given twice keeps its first value.
    public init(_ request: Request) {
        self.init(FormBody.urlEncoded(request.uri.query ?? ""))
    }

    /// The trimmed value, nil when absent or blank.
    public func string(_ name: String, maxLength: Int = 200) throws(ParameterError) -> String? {
        guard let raw = values[name] else { return nil }
        // The limit holds for the value as sent, blanks included, as the API document says.
        guard raw.count <= maxLength else {
            throw ParameterError(name, "is \(raw.count) characters long; the limit is \(maxLength)")
        }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return nil }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ParameterError(name, "contains a control character")
        }
        return value
    }

    public func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ParameterError) -> Int {
        guard let text = try string(name, maxLength: 12) else { return fallback }
        guard let value = Int(text) else { throw ParameterError(name, "must be a whole number, not \"\(text)\"") }
        guard range.contains(value) else {
            throw ParameterError(name, "must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    /// A decimal number within `range`, nil when absent.
    public func number(_ name: String, in range: ClosedRange<Double>) throws(ParameterError) -> Double? {
        guard let text = try string(name, maxLength: 24) else { return nil }
        guard let value = Double(text), value.isFinite else { throw ParameterError(name, "must be a number, not \"\(text)\"") }
        guard range.contains(value) else {
            throw ParameterError(name, "must be between \(range.lowerBound) and \(range.upperBound), not \(text)")
        }
        return value
    }

    /// One of the raw values of `E`.
    public func choice<E: RawRepresentable & CaseIterable>(_ name: String, as _: E.Type) throws(ParameterError) -> E?
    where E.RawValue == String {
        guard let text = try string(name, maxLength: 40) else { return nil }
        guard let value = E(rawValue: text.lowercased()) else {
            throw ParameterError(name, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
        }
        return value
    }

    /// A `yyyy-MM-dd` day (midnight UTC).
    public func day(_ name: String) throws(ParameterError) -> Date? {
        guard let text = try string(name, maxLength: 10) else { return nil }
        guard let day = DayWindow.day(text) else { throw ParameterError(name, "must be a day written yyyy-mm-dd, not \"\(text)\"") }
        return day
    }

    /// An arXiv category (`cs.LG`) or archive (`cs`), spelled as arXiv spells it.
    public func category(_ name: String) throws(ParameterError) -> String? {
        guard let text = try string(name, maxLength: 40) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "." || $0 == "-" }
        guard allowed, text.first?.isLetter == true else {
            throw ParameterError(name, "must be an arXiv category such as cs.LG or an archive such as cs, not \"\(text)\"")
        }
        return text
    }
}
