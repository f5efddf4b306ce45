import SearchIndex

/// The words of a query that say what it is about, for the embedder: every term, phrase and
/// prefix the reader wants (not excluded), in title or abstract or no field. Author names,
/// categories and dates are filters, not meaning, and are left out.
enum QueryText {
    static func meaning(of parsed: ParsedQuery) -> String {
        guard let expression = parsed.expression else { return "" }
        var words: [String] = []
        collect(expression, into: &words)
        return words.joined(separator: " ")
    }

    private static func collect(_ expression: QueryExpression, into words: inout [String]) {
        switch expression {
        case .term(let text, let field), .phrase(let text, let field), .prefix(let text, let field):
            if field == nil || field == .title || field == .abstract { words.append(text) }
        case .boolean(let clauses):
            for clause in clauses where clause.occur != .mustNot { collect(clause.expression, into: &words) }
        }
    }
}
