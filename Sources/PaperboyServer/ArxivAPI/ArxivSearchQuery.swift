/// arXiv's `search_query` syntax read and written out in Paperboy's query language, so
/// clients built for arXiv's API search Paperboy's index with the same ranking path as
/// the search page.
///
/// arXiv's syntax: `prefix:value` terms (`ti`, `au`, `abs`, `cat`, `all`, `id`), values that
/// are words or `"quoted phrases"` (an author's `del_maestro` is the phrase "del maestro"),
/// joined by `AND`, `OR` and `ANDNOT`, grouped by parentheses; a term without a prefix is
/// `all:`, and terms side by side are joined by OR as arXiv's Lucene does. The operators
/// bind left to right with equal precedence, as on arXiv.
///
/// Paperboy's `cat:` is a filter, not a scored term: categories are kept where they narrow
/// the whole query (terms joined to it by AND or ANDNOT at the top level, or a group of
/// categories joined by OR alone); elsewhere they are an error rather than a silent
/// different answer. `id:` terms are read as an id list.
struct ArxivSearchQuery: Equatable {
    /// The query for `QueryParser`, without filters; empty when the query is filters alone.
    var text: String
    /// Categories the result must be in (any of them).
    var categories: [String]
    /// Categories the result must not be in.
    var excludedCategories: [String]
    /// Ids from `id:` terms (joined by OR at the top level).
    var ids: [String]

    /// The whole query in Paperboy's language: the search text, then its filters.
    var paperboyQuery: String {
        var parts: [String] = []
        if !text.isEmpty { parts.append(categories.isEmpty && excludedCategories.isEmpty ? text : "(\(text))") }
        parts += categories.map { "cat:\($0)" }
        parts += excludedCategories.map { "-cat:\($0)" }
        return parts.joined(separator: " ")
    }

    /// Why a query cannot be read, in arXiv's terse error style.
    struct Problem: Error, Equatable {
        var message: String
    }

    init(text: String, categories: [String] = [], excludedCategories: [String] = [], ids: [String] = []) {
        self.text = text
        self.categories = categories
        self.excludedCategories = excludedCategories
        self.ids = ids
    }

    init(_ query: String) throws(Problem) {
        var parser = ArxivQueryParser(tokens: try ArxivQueryLexer.tokens(of: query))
        let node = try parser.parse()
        var categories: [String] = []
        var excluded: [String] = []
        var ids: [String] = []
        var scored: [(ArxivQueryNode.Operator, ArxivQueryNode)] = []
        let chain = node.topLevel
        if let group = node.categoryGroup {
            categories = group
        } else if let group = node.idGroup {
            ids = group
        } else if chain.dropFirst().contains(where: { $0.0 == .or }) {
            // With OR at the top level nothing narrows the whole query: no filter can be lifted.
            scored = [(.and, node)]
        } else {
            for (op, operand) in chain {
                if let group = operand.categoryGroup {
                    if op == .andNot {
                        excluded += group
                    } else {
                        guard categories.isEmpty else {
                            throw Problem(message: "categories joined by AND: Paperboy filters by any of them; join them with OR")
                        }
                        categories = group
                    }
                } else if let group = operand.idGroup, op == .and {
                    guard ids.isEmpty else { throw Problem(message: "ids joined by AND: join them with OR") }
                    ids = group
                } else {
                    scored.append((op, operand))
                }
            }
        }
        var text = ""
        for (index, (op, operand)) in scored.enumerated() {
            let written = index == 0 && scored.count == 1 ? try operand.paperboyTopLevel() : try operand.paperboy()
            if index == 0 {
                text = op == .andNot ? "NOT \(written)" : written
            } else {
                text += " \(op.paperboy) \(written)"
            }
        }
        self.text = text
        self.categories = categories
        excludedCategories = excluded
        self.ids = ids
    }
}

/// arXiv's query as a tree.
indirect enum ArxivQueryNode: Equatable {
    enum Operator: Equatable {
        case and, or, andNot

        var paperboy: String {
            switch self {
            case .and: "AND"
            case .or: "OR"
            case .andNot: "AND NOT"
            }
        }
    }

    case term(field: String, value: String, quoted: Bool)
    case group(ArxivQueryNode)
    case chain(first: ArxivQueryNode, rest: [(Operator, ArxivQueryNode)])

    static func == (a: ArxivQueryNode, b: ArxivQueryNode) -> Bool {
        switch (a, b) {
        case let (.term(f1, v1, q1), .term(f2, v2, q2)): f1 == f2 && v1 == v2 && q1 == q2
        case let (.group(x), .group(y)): x == y
        case let (.chain(f1, r1), .chain(f2, r2)):
            f1 == f2 && r1.count == r2.count && zip(r1, r2).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The top-level operands with the operator before each (the first gets AND).
    var topLevel: [(Operator, ArxivQueryNode)] {
        switch self {
        case let .chain(first, rest): [(.and, first)] + rest
        case let .group(inner): inner.topLevel
        default: [(.and, self)]
        }
    }

    /// The categories of a `cat:` term or a group of `cat:` terms joined by OR; nil otherwise.
    var categoryGroup: [String]? {
        switch self {
        case let .term(field, value, _) where field == "cat": [value]
        case let .group(inner): inner.categoryGroup
        case let .chain(first, rest):
            rest.allSatisfy { $0.0 == .or } ? ([first] + rest.map(\.1)).reduce([String]?([])) { all, node in
                guard let all, let more = node.categoryGroup else { return nil }
                return all + more
            } : nil
        default: nil
        }
    }

    /// The ids of an `id:` term or of `id:` terms joined by OR; nil otherwise.
    var idGroup: [String]? {
        switch self {
        case let .term(field, value, _) where field == "id": [value]
        case let .group(inner): inner.idGroup
        case let .chain(first, rest):
            rest.allSatisfy { $0.0 == .or } ? ([first] + rest.map(\.1)).reduce([String]?([])) { all, node in
                guard let all, let more = node.idGroup else { return nil }
                return all + more
            } : nil
        default: nil
        }
    }

    /// This node in Paperboy's language; categories and ids here are nested where no
    /// filter can stand.
    func paperboy() throws(ArxivSearchQuery.Problem) -> String {
        switch self {
        case let .term(field, value, quoted):
            return try Self.term(field: field, value: value, quoted: quoted)
        case let .group(inner):
            // A chain writes its own parentheses; a lone term needs none.
            return try inner.paperboy()
        case let .chain(first, rest):
            var text = try first.paperboy()
            for (op, node) in rest { text += " \(op.paperboy) \(try node.paperboy())" }
            return "(\(text))"
        }
    }

    /// Like `paperboy()` without the outer parentheses of a chain.
    func paperboyTopLevel() throws(ArxivSearchQuery.Problem) -> String {
        if case let .group(inner) = self { return try inner.paperboyTopLevel() }
        if case .chain = self {
            let text = try paperboy()
            return String(text.dropFirst().dropLast())
        }
        return try paperboy()
    }

    /// Paperboy's field prefix for each arXiv prefix it can search.
    private static let fields = ["ti": "title:", "au": "author:", "abs": "abstract:", "all": ""]

    private static func term(field: String, value: String, quoted: Bool) throws(ArxivSearchQuery.Problem) -> String {
        if field == "cat" || field == "id" {
            throw ArxivSearchQuery.Problem(message: "\(field): can only narrow the whole query (join it with AND at the top level)")
        }
        guard let prefix = fields[field] else {
            throw ArxivSearchQuery.Problem(message: "unsupported field \(field): use ti, au, abs, cat, id or all")
        }
        // arXiv writes spaces in author names as underscores.
        let text = field == "au" ? value.replacingOccurrences(of: "_", with: " ") : value
        let words = text.split(whereSeparator: \.isWhitespace).map { $0.filter { $0 != "\"" } }.filter { !$0.isEmpty }
        guard !words.isEmpty else { throw ArxivSearchQuery.Problem(message: "empty value for \(field):") }
        if quoted || words.count > 1 {
            return "\(prefix)\"\(words.joined(separator: " "))\""
        }
        // Paperboy reads a leading + or - and a leading ( as syntax: quote such words.
        let word = words[0]
        if let first = word.first, "+-(".contains(first) || word.contains(":") {
            return "\(prefix)\"\(word)\""
        }
        return prefix + word
    }
}

/// A piece of an arXiv query.
enum ArxivQueryToken: Equatable {
    case term(field: String, value: String, quoted: Bool)
    case and, or, andNot, open, close
}

/// Splits arXiv query text into terms, operators and parentheses.
enum ArxivQueryLexer {
    static let maximumNesting = 32

    static func tokens(of text: String) throws(ArxivSearchQuery.Problem) -> [ArxivQueryToken] {
        var tokens: [ArxivQueryToken] = []
        let characters = Array(text)
        var index = 0
        var depth = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            if character == "(" {
                depth += 1
                guard depth <= maximumNesting else { throw .init(message: "parentheses nested too deeply") }
                tokens.append(.open); index += 1; continue
            }
            if character == ")" { depth -= 1; tokens.append(.close); index += 1; continue }
            // A field prefix, then a word or a quoted phrase.
            var field = "all"
            var start = index
            while start < characters.count, characters[start].isLetter { start += 1 }
            if start < characters.count, characters[start] == ":", start > index {
                field = String(characters[index..<start]).lowercased()
                index = start + 1
            }
            if index < characters.count, characters[index] == "\"" {
                guard let close = characters[(index + 1)...].firstIndex(of: "\"") else {
                    throw .init(message: "unclosed quote")
                }
                tokens.append(.term(field: field, value: String(characters[(index + 1)..<close]), quoted: true))
                index = close + 1
                continue
            }
            var end = index
            while end < characters.count, !characters[end].isWhitespace, characters[end] != "(", characters[end] != ")" { end += 1 }
            let word = String(characters[index..<end])
            index = end
            if field == "all" {
                switch word {
                case "AND": tokens.append(.and); continue
                case "OR": tokens.append(.or); continue
                case "ANDNOT": tokens.append(.andNot); continue
                default: break
                }
            }
            guard !word.isEmpty else { throw .init(message: "empty value for \(field):") }
            tokens.append(.term(field: field, value: word, quoted: false))
        }
        return tokens
    }
}

/// Left-to-right parser over `ArxivQueryToken`s: operand (operator? operand)*.
struct ArxivQueryParser {
    let tokens: [ArxivQueryToken]
    var index = 0

    mutating func parse() throws(ArxivSearchQuery.Problem) -> ArxivQueryNode {
        let node = try chain()
        guard index == tokens.count else { throw .init(message: "unbalanced parentheses") }
        return node
    }

    private mutating func chain() throws(ArxivSearchQuery.Problem) -> ArxivQueryNode {
        let first = try operand()
        var rest: [(ArxivQueryNode.Operator, ArxivQueryNode)] = []
        while index < tokens.count, tokens[index] != .close {
            let op: ArxivQueryNode.Operator
            switch tokens[index] {
            case .and: op = .and; index += 1
            case .or: op = .or; index += 1
            case .andNot: op = .andNot; index += 1
            default: op = .or  // side by side
            }
            rest.append((op, try operand()))
        }
        return rest.isEmpty ? first : .chain(first: first, rest: rest)
    }

    private mutating func operand() throws(ArxivSearchQuery.Problem) -> ArxivQueryNode {
        guard index < tokens.count else { throw .init(message: "the query ends where a term was expected") }
        let token = tokens[index]
        index += 1
        switch token {
        case let .term(field, value, quoted):
            return .term(field: field, value: value, quoted: quoted)
        case .open:
            let inner = try chain()
            guard index < tokens.count, tokens[index] == .close else { throw .init(message: "unbalanced parentheses") }
            index += 1
            return .group(inner)
        case .and, .or, .andNot, .close:
            throw .init(message: "a term was expected before \(Self.spelling(token))")
        }
    }

    private static func spelling(_ token: ArxivQueryToken) -> String {
        switch token {
        case .and: "AND"
        case .or: "OR"
        case .andNot: "ANDNOT"
        case .close: ")"
        default: "this"
        }
    }
}
