/// One piece of a query and the column (1-based, in Characters) where it starts.
struct QueryToken: Equatable {
    enum Keyword: String {
        case and = "AND", or = "OR", not = "NOT"
    }

    enum Modifier: Equatable {
        /// `+word`
        case required
        /// `-word`
        case excluded
    }

    enum Kind: Equatable {
        /// Text without spaces, kept as typed, punctuation and all.
        case word(String)
        /// The text between two double quotes.
        case phrase(String)
        /// `AND`, `OR` or `NOT` standing alone; the parser reads it as a word where it has
        /// nothing to act on.
        case keyword(Keyword)
        /// `+` or `-` at the start of a word.
        case modifier(Modifier)
        /// `title:`, `cat:`, … with a value right after the colon.
        case field(QueryFieldName)
        case openGroup
        case closeGroup
    }

    var kind: Kind
    var column: Int
}

extension QueryToken.Kind {
    /// Syntax whose meaning depends on grouping: `AND`/`OR`/`NOT`, `+`/`-`, `name:`.
    var isOperator: Bool {
        switch self {
        case .keyword, .modifier, .field: true
        case .word, .phrase, .openGroup, .closeGroup: false
        }
    }
}

/// Splits a query into tokens. Punctuation is an operator only where nothing else makes
/// sense, so pasted titles and sentences stay text: `-` and `+` only at the start of a word,
/// `(` only at the start of one (`O(n^2)` is a word), `"` only at the start of one (`5"` is
/// a word), `name:` only for the field names the language knows (`BERT: pre-training` is
/// two words). Quotes and grouping `(` must be closed, and a `)` must close something unless
/// the query is plain words (see `strayClosingColumn`); every other character is text.
struct QueryLexer {
    /// Deep enough for any query a person writes, shallow enough that parsing, which
    /// recurses per group, can never exhaust the stack.
    static let maximumNesting = 64

    /// What came right before the next token; decides what punctuation means there.
    private enum Context {
        /// Start of the query, after whitespace or after a grouping `(`: operators allowed.
        case separated
        /// Right after `)` or a closing quote: text, a phrase or a group may follow.
        case glued
        /// Right after `+` or `-`: a field may follow, but no other operator.
        case afterModifier
        /// Right after `name:`: the value, which is never an operator.
        case afterField
    }

    /// An open parenthesis: one that groups, or one inside a word (`f(x`) that is text and
    /// whose `)` is text too.
    private enum Parenthesis {
        case group(column: Int)
        case text
    }

    private let query: String
    private let characters: [Character]
    private var position = 0
    private var tokens: [QueryToken] = []
    private var open: [Parenthesis] = []
    private var groupDepth = 0
    /// The first `)` that closed nothing. In prose pasted into the box (`reasons: 1) data`)
    /// it is text, and with words only joined by OR no grouping can change the query; once
    /// the query has operators or fields, a missing `(` would silently change its meaning.
    private var strayClosingColumn: Int?

    /// The tokens of `query`, or the first place where it cannot be read without guessing.
    static func tokens(of query: String) throws(QuerySyntaxError) -> [QueryToken] {
        var lexer = QueryLexer(query: query)
        return try lexer.run()
    }

    private init(query: String) {
        self.query = query
        self.characters = Array(query)
    }

    private mutating func run() throws(QuerySyntaxError) -> [QueryToken] {
        var context = Context.separated
        while position < characters.count {
            let character = characters[position]
            if character.isWhitespace {
                position += 1
                context = .separated
            } else if character == "\"" {
                try lexPhrase()
                context = .glued
            } else if character == "(" {
                try openGroup()
                context = .separated
            } else if character == ")", closesGroup() {
                emit(.closeGroup, at: position)
                position += 1
                context = .glued
            } else if context == .separated, let modifier = modifier(at: position) {
                emit(.modifier(modifier), at: position)
                position += 1
                context = .afterModifier
            } else if context == .separated || context == .afterModifier, try lexField() {
                context = .afterField
            } else {
                let start = position
                let text = lexWord()
                if context == .separated, let keyword = QueryToken.Keyword(rawValue: text) {
                    emit(.keyword(keyword), at: start)
                } else {
                    emit(.word(text), at: start)
                }
                context = .glued
            }
        }
        if let stray = strayClosingColumn, tokens.contains(where: \.kind.isOperator) {
            throw error(.unbalancedParenthesis, "This ) closes no (: add the ( it belongs to, or remove it", column: stray)
        }
        let unclosed = open.compactMap { if case .group(let column) = $0 { column } else { nil } }
        if let innermost = unclosed.last {
            if tokens.contains(where: \.kind.isOperator) {
                throw error(.unbalancedParenthesis, "This ( is never closed: add a ) after what it groups, or remove it", column: innermost)
            }
            // Among plain words a group changes nothing (every word is optional), so a pasted
            // sentence with an unclosed ( is searched as the text it is.
            let columns = Set(unclosed)
            tokens.removeAll { $0.kind == .openGroup && columns.contains($0.column) }
        }
        return tokens
    }

    private mutating func emit(_ kind: QueryToken.Kind, at index: Int) {
        tokens.append(QueryToken(kind: kind, column: index + 1))
    }

    private func error(_ code: QuerySyntaxError.Code, _ message: String, column: Int) -> QuerySyntaxError {
        QuerySyntaxError(code, message, column: column, query: query)
    }

    /// A phrase runs to the next `"`, whatever is in between.
    private mutating func lexPhrase() throws(QuerySyntaxError) {
        let start = position
        guard let end = characters[(start + 1)...].firstIndex(of: "\"") else {
            throw error(.unclosedQuote, "This \" starts a phrase that is never closed: add a \" where the phrase ends, or remove this one", column: start + 1)
        }
        emit(.phrase(String(characters[(start + 1)..<end])), at: start)
        position = end + 1
    }

    private mutating func openGroup() throws(QuerySyntaxError) {
        guard groupDepth < Self.maximumNesting else {
            throw error(.nestedTooDeeply, "Parentheses nest more than \(Self.maximumNesting) deep here: remove some", column: position + 1)
        }
        open.append(.group(column: position + 1))
        groupDepth += 1
        emit(.openGroup, at: position)
        position += 1
    }

    /// Whether the `)` at `position` closes a group (and closes it); false when it is text:
    /// it closes a parenthesis opened inside a word, or nothing at all.
    private mutating func closesGroup() -> Bool {
        guard case .group = open.last else { return false }
        open.removeLast()
        groupDepth -= 1
        return true
    }

    /// `+` or `-` is an operator when a word, phrase, field or group follows it directly.
    /// Before a space, another sign, a `)` or a digit (`-0.5`, `+1`) it is text.
    private func modifier(at index: Int) -> QueryToken.Modifier? {
        let sign = characters[index]
        guard sign == "+" || sign == "-", index + 1 < characters.count else { return nil }
        let next = characters[index + 1]
        if next.isWhitespace || next == "+" || next == "-" || next == ")" || next.isASCIIDigit { return nil }
        return sign == "+" ? .required : .excluded
    }

    /// Emits and skips a field prefix at `position` — a known name, a colon and a value right
    /// after it — and says whether there was one. Anything else (`Note: results`, `http://`,
    /// `title:` before a space) is left to be read as text.
    private mutating func lexField() throws(QuerySyntaxError) -> Bool {
        let index = position
        var colon = index
        while colon < characters.count, characters[colon].isASCII, characters[colon].isLetter { colon += 1 }
        guard colon > index, colon < characters.count, characters[colon] == ":",
              let field = QueryFieldName(String(characters[index..<colon])) else { return false }
        let value = colon + 1
        guard value < characters.count, !characters[value].isWhitespace, characters[value] != ")" else {
            if field.takesDate, let next = characters[value...].firstIndex(where: { !$0.isWhitespace }),
               next > value, characters[next].isASCIIDigit {
                throw error(.invalidDate, "Put the date right after the colon, without a space (since:2024-01-31)", column: value + 1)
            }
            return false
        }
        emit(.field(field), at: index)
        position = value
        return true
    }

    /// A word runs to whitespace or to the `)` of an open group. A `(` inside it opens a
    /// parenthesis of text, whose `)` belongs to the word too: `O(n^2)`, `f(x)`.
    private mutating func lexWord() -> String {
        let start = position
        scan: while position < characters.count {
            let character = characters[position]
            if character.isWhitespace { break }
            if character == "(" {
                open.append(.text)
            } else if character == ")" {
                switch open.last {
                case nil: strayClosingColumn = strayClosingColumn ?? position + 1
                case .group: break scan
                case .text: open.removeLast()
                }
            }
            position += 1
        }
        return String(characters[start..<position])
    }
}

private extension Character {
    /// 0–9 only: numbers in a query are written with ASCII digits.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
