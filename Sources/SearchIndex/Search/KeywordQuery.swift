/// A query in indexed terms: what the parser's expression becomes once its words are
/// analyzed and its fields expanded. Tests build it directly to feed pre-tokenized input.
public indirect enum KeywordQuery: Sendable, Equatable {
    /// One indexed term in one field, its score multiplied by `boost`.
    case term(String, field: SearchField, boost: Float)
    /// Indexed terms at consecutive positions in one field.
    case phrase([String], field: SearchField, boost: Float)
    /// Any of the queries, scored by the sum of those that match (a word over several fields,
    /// a prefix's expansions).
    case anyOf([KeywordQuery])
    /// Documents matching every `required`, none of `excluded`, and when nothing is required
    /// at least one `optional`. `.filter` clauses among `required` restrict the documents
    /// without counting as required: `cat:cs.LG diffusion` still needs `diffusion`.
    case boolean(required: [KeywordQuery], optional: [KeywordQuery], excluded: [KeywordQuery])
    /// A filter clause that matches but never scores (`cat:cs.LG`).
    case filter(String, field: SearchField)
    /// Every document, scoring nothing (a query of only date filters).
    case all
    /// Matches nothing (a word that analyzes to no term, a prefix with no expansion).
    case nothing
}

extension KeywordQuery {
    var isFilter: Bool {
        if case .filter = self { return true }
        if case let .anyOf(children) = self { return !children.isEmpty && children.allSatisfy(\.isFilter) }
        return false
    }
}
