/// Turns what a reader types into the search box into a `ParsedQuery`, with the Lucene-like
/// syntax readers know from arXiv and Google Scholar: words, `"phrases"`, `+required`,
/// `-excluded`, `AND` / `OR` / `NOT` (upper case; NOT binds tighter than AND, AND tighter than
/// OR, and bare words are joined by OR), parentheses, `title:` `abstract:` `author:` fields,
/// `transform*` prefixes, and the filters `cat:`, `since:` and `until:`.
///
/// Readers also paste titles and sentences, so punctuation is syntax only where it cannot
/// be text (see `QueryLexer`), and an operator with nothing to act on (`cats AND`, `NOT` at
/// the end) is read as the word it is. What cannot be read without guessing — an unclosed
/// quote or parenthesis, a date that is no day, two operators in a row, a filter inside
/// parentheses or joined by OR — is a `QuerySyntaxError` pointing at the character.
public enum QueryParser {
    /// Parses a query; an empty or blank one gives an empty `ParsedQuery`.
    public static func parse(_ text: String) throws(QuerySyntaxError) -> ParsedQuery {
        var descent = Descent(tokens: try QueryLexer.tokens(of: text), query: text)
        return try descent.parseQuery()
    }
}

/// An operand of AND or OR: a search expression or a filter, with its `+`/`-`/`NOT`.
private struct Operand {
    enum Content {
        case expression(QueryExpression)
        case filter(LocatedFilter)
        /// `()`: nothing to search for.
        case nothing
    }

    enum Modifier {
        case none, required, excluded
    }

    var modifier: Modifier
    var content: Content
    /// Where the operand starts, operator included.
    var column: Int

    var isFilter: Bool {
        if case .filter = content { true } else { false }
    }

    var isCategory: Bool {
        if case .filter(let located) = content, case .category = located.filter { true } else { false }
    }
}

/// Operands joined by AND (one operand when there is no AND).
private struct Conjunction {
    var operands: [Operand]
    /// The column of the OR joining it to the conjunction before; nil when they were
    /// joined by juxtaposition.
    var orColumn: Int?
}

/// Recursive descent over the tokens: disjunction → conjunction → unary → primary.
/// Recursion is per group, and the lexer bounds the nesting of groups.
private struct Descent {
    let tokens: [QueryToken]
    let query: String
    var index = 0

    mutating func parseQuery() throws(QuerySyntaxError) -> ParsedQuery {
        let (expression, filters) = try parseDisjunction(depth: 0)
        if let leftover = peek() {
            throw error(.unbalancedParenthesis, "This ) closes no (: add the ( it belongs to, or remove it", at: leftover.column)
        }
        var parsed = ParsedQuery(expression: expression)
        try QueryFilters.apply(filters, to: &parsed, typed: query)
        return parsed
    }

    private func peek(_ offset: Int = 0) -> QueryToken? {
        index + offset < tokens.count ? tokens[index + offset] : nil
    }

    private func error(_ code: QuerySyntaxError.Code, _ message: String, at column: Int) -> QuerySyntaxError {
        QuerySyntaxError(code, message, column: column, query: query)
    }

    /// Conjunctions joined by OR or by juxtaposition, up to the end or the group's `)`.
    private mutating func parseDisjunction(depth: Int) throws(QuerySyntaxError) -> (QueryExpression?, [LocatedFilter]) {
        var conjunctions: [Conjunction] = []
        while let token = peek(), token.kind != .closeGroup {
            var orColumn: Int?
            if !conjunctions.isEmpty, token.kind == .keyword(.or), try isBinaryOperator() {
                orColumn = token.column
                index += 1
            }
            var conjunction = try parseConjunction(depth: depth)
            conjunction.orColumn = orColumn
            conjunctions.append(conjunction)
        }
        try checkOrAroundFilters(conjunctions)
        return combine(conjunctions)
    }

    /// Whether the AND or OR at `index` joins two operands. At the end or before `)` it
    /// does not (it is then a word: `cats AND`); before another AND or OR the reader's
    /// meaning is unclear, which is an error.
    private func isBinaryOperator() throws(QuerySyntaxError) -> Bool {
        guard let next = peek(1), next.kind != .closeGroup, let current = peek() else { return false }
        if case .keyword(let keyword) = next.kind, keyword != .not, case .keyword(let first) = current.kind {
            throw error(.misplacedOperator, "\(keyword.rawValue) right after \(first.rawValue) joins nothing: remove one of them", at: next.column)
        }
        return true
    }

    private mutating func parseConjunction(depth: Int) throws(QuerySyntaxError) -> Conjunction {
        var operands = [try parseUnary(depth: depth)]
        while let token = peek(), token.kind == .keyword(.and), try isBinaryOperator() {
            index += 1
            operands.append(try parseUnary(depth: depth))
        }
        let categories = operands.filter { $0.isCategory && $0.modifier != .excluded }
        if categories.count > 1 {
            throw error(
                .misplacedFilter,
                "A paper matches when it is in any of the cat: categories, so AND cannot require two of them: remove the AND to search either",
                at: categories[1].column)
        }
        return Conjunction(operands: operands)
    }

    /// `NOT`s, then an optional `+` or `-`, then a primary. `NOT` before the end or `)` is
    /// left to be the word "NOT".
    private mutating func parseUnary(depth: Int) throws(QuerySyntaxError) -> Operand {
        var excluded = false
        var required = false
        var column: Int?
        while let token = peek(), token.kind == .keyword(.not), let next = peek(1), next.kind != .closeGroup {
            if case .keyword(let keyword) = next.kind, keyword != .not {
                throw error(.misplacedOperator, "\(keyword.rawValue) right after NOT joins nothing: remove one of them", at: next.column)
            }
            excluded.toggle()
            column = column ?? token.column
            index += 1
        }
        if let token = peek(), case .modifier(let modifier) = token.kind {
            column = column ?? token.column
            index += 1
            if modifier == .excluded { excluded.toggle() } else { required = true }
        }
        let primaryColumn = peek()?.column ?? query.count
        var operand = Operand(
            modifier: excluded ? .excluded : required ? .required : .none,
            content: try parsePrimary(depth: depth), column: column ?? primaryColumn)
        if case .filter(var located) = operand.content {
            if operand.modifier == .excluded {
                guard case .category(let code) = located.filter else {
                    throw error(.misplacedFilter, "A date filter cannot be excluded: use until: for papers before a day, since: for papers after it", at: operand.column)
                }
                located.filter = .excludedCategory(code)
                operand.content = .filter(located)
            }
            operand.modifier = .none
        }
        return operand
    }

    private mutating func parsePrimary(depth: Int) throws(QuerySyntaxError) -> Operand.Content {
        guard let token = peek() else {
            throw error(.misplacedOperator, "The query ends where a word was expected", at: max(1, query.count))
        }
        index += 1
        switch token.kind {
        case .word(let text):
            return .expression(Self.leaf(text, field: nil))
        case .keyword(let keyword):
            return .expression(.term(keyword.rawValue, field: nil))
        case .phrase(let text):
            return .expression(.phrase(text, field: nil))
        case .openGroup:
            return try parseGroup(depth: depth + 1, openedAt: token.column).map { .expression($0) } ?? .nothing
        case .field(let name):
            return try parseFieldValue(name, fieldColumn: token.column, depth: depth)
        case .closeGroup, .modifier:
            throw error(.misplacedOperator, "A word was expected here", at: token.column)
        }
    }

    /// The inside of a group whose `(` was just read, and its `)`.
    private mutating func parseGroup(depth: Int, openedAt column: Int) throws(QuerySyntaxError) -> QueryExpression? {
        let (expression, _) = try parseDisjunction(depth: depth)
        guard let close = peek(), close.kind == .closeGroup else {
            throw error(.unbalancedParenthesis, "This ( is never closed: add a ) after what it groups, or remove it", at: column)
        }
        index += 1
        return expression
    }

    private mutating func parseFieldValue(_ name: QueryFieldName, fieldColumn: Int, depth: Int) throws(QuerySyntaxError) -> Operand.Content {
        guard let value = peek() else {
            throw error(.misplacedOperator, "The query ends where a value was expected", at: fieldColumn)
        }
        if case .search(let field) = name {
            switch value.kind {
            case .word(let text):
                index += 1
                return .expression(Self.leaf(text, field: field))
            case .phrase(let text):
                index += 1
                return .expression(.phrase(text, field: field))
            case .openGroup:
                index += 1
                let group = try parseGroup(depth: depth + 1, openedAt: value.column)
                return group.map { .expression($0.applyingDefaultField(field)) } ?? .nothing
            default:
                throw error(.misplacedOperator, "A word, a \"phrase\" or a (group) was expected after the colon", at: value.column)
            }
        }
        guard depth == 0 else {
            throw error(.misplacedFilter, "cat:, since: and until: narrow the whole query, so they cannot go inside parentheses: move this one out", at: fieldColumn)
        }
        guard case .word(let text) = value.kind else {
            let example = name == .category ? "cat:cs.LG" : "since:2024-01-31"
            throw error(name == .category ? .invalidCategory : .invalidDate, "This filter takes one value without spaces, like \(example)", at: value.column)
        }
        index += 1
        return .filter(LocatedFilter(filter: try filter(name, text, column: value.column), column: value.column, text: text))
    }

    private func filter(_ name: QueryFieldName, _ text: String, column: Int) throws(QuerySyntaxError) -> QueryFilter {
        switch name {
        case .category:
            guard let code = QueryFilters.category(text) else {
                throw error(.invalidCategory, "\(text) is not an arXiv category: use a code like cs.LG or an archive like cs", at: column)
            }
            return .category(code)
        case .since, .until:
            switch QueryFilters.day(text, name == .since ? .first : .last) {
            case .success(let date): return name == .since ? .since(date) : .until(date)
            case .failure(let problem): throw error(.invalidDate, problem.text, at: column)
            }
        case .search:
            throw error(.misplacedOperator, "A filter was expected here", at: column)
        }
    }

    /// A word as a term, or as a prefix when it ends in `*` after at least two characters.
    private static func leaf(_ text: String, field: SearchField?) -> QueryExpression {
        if text.count >= 3, text.last == "*" {
            let stem = text.dropLast()
            if !stem.contains("*") { return .prefix(String(stem), field: field) }
        }
        return .term(text, field: field)
    }

    /// OR keeps its usual meaning only between search operands, or between two categories
    /// (which is what several `cat:` mean anyway); next to any other filter it would ask for
    /// something filters cannot do.
    private func checkOrAroundFilters(_ conjunctions: [Conjunction]) throws(QuerySyntaxError) {
        for (left, right) in zip(conjunctions, conjunctions.dropFirst()) {
            guard let orColumn = right.orColumn else { continue }
            let touchesFilter = (left.operands + right.operands).contains { $0.isFilter }
            let bothCategories = [left, right].allSatisfy { $0.operands.count == 1 && $0.operands[0].isCategory }
            if touchesFilter && !bothCategories {
                throw error(.misplacedFilter, "OR cannot join a filter (cat:, since:, until:): filters narrow the whole query, so remove the OR", at: orColumn)
            }
        }
    }

    /// The boolean expression of a disjunction, with its filters taken out.
    private func combine(_ conjunctions: [Conjunction]) -> (QueryExpression?, [LocatedFilter]) {
        var filters: [LocatedFilter] = []
        var groups: [[QueryClause]] = []
        for conjunction in conjunctions {
            var searched: [Operand] = []
            for operand in conjunction.operands {
                switch operand.content {
                case .filter(let located): filters.append(located)
                case .expression: searched.append(operand)
                case .nothing: break
                }
            }
            groups.append(Self.clauses(of: searched))
        }
        groups.removeAll { $0.isEmpty }
        let clauses = groups.count == 1
            ? groups[0]
            : groups.map { $0.count == 1 ? $0[0] : QueryClause(.should, .boolean($0)) }
        if clauses.count == 1, clauses[0].occur != .mustNot { return (clauses[0].expression, filters) }
        return (clauses.isEmpty ? nil : .boolean(clauses), filters)
    }

    /// One operand keeps its own `+`/`-`; operands joined by AND are each required, or
    /// excluded when negated.
    private static func clauses(of operands: [Operand]) -> [QueryClause] {
        operands.compactMap { operand in
            guard case .expression(let expression) = operand.content else { return nil }
            let occur: QueryClause.Occur = switch operand.modifier {
            case .excluded: .mustNot
            case .required: .must
            case .none: operands.count > 1 ? .must : .should
            }
            return QueryClause(occur, expression)
        }
    }
}
