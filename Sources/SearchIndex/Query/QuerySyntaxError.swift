/// A query the parser will not guess at: an unclosed quote or parenthesis, a date that is
/// not a day, an operator with nothing to act on. It points at the character to fix so the
/// search box can show where, and its message says how to fix it.
public struct QuerySyntaxError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of mistake, for callers that react differently to each.
    public enum Code: String, Sendable {
        case unclosedQuote
        case unbalancedParenthesis
        case nestedTooDeeply
        case invalidDate
        case invalidCategory
        case misplacedFilter
        case misplacedOperator
        case emptyDateRange
    }

    public var code: Code
    /// One sentence for the reader: what is wrong and what to type instead.
    public var message: String
    /// Where the offending character is: 1-based, counted in Characters (what a person sees
    /// as one letter), so it stays right for accents and emoji.
    public var column: Int
    /// The query as the reader typed it.
    public var query: String

    public init(_ code: Code, _ message: String, column: Int, query: String) {
        self.code = code
        self.message = message
        self.column = column
        self.query = query
    }

    /// The message, then the query on one line with a caret under the offending character.
    public var description: String {
        // Every whitespace Character (newline, tab, CR LF) becomes one space, so the query
        // stays on one line and the caret stays under the right Character.
        let line = String(query.map { $0.isWhitespace ? " " : $0 })
        let caret = String(repeating: " ", count: max(0, column - 1)) + "^"
        return "\(message) (column \(column))\n\(line)\n\(caret)"
    }
}
