import Foundation

/// What a reader asked for, as a tree the index evaluates. Text is kept exactly as typed
/// (`GPT-4`, `O(n^2)`): the index runs it through the same analyzer as the papers, so the
/// parser and the index can never disagree on how a word is split, folded or stemmed.
/// A leaf's field is nil when the reader named none: the index then searches its default
/// fields.
public indirect enum QueryExpression: Equatable, Sendable {
    /// A word, or a run of characters without spaces the analyzer may split further.
    case term(String, field: SearchField?)
    /// The raw text between double quotes: its words in this order, next to each other.
    case phrase(String, field: SearchField?)
    /// Words starting with this text (`transform*` → `transform`), for type-ahead.
    case prefix(String, field: SearchField?)
    /// Lucene's boolean query: a document matches when it matches every `must` clause, no
    /// `mustNot` clause and, when there is no `must` clause, at least one `should` clause;
    /// with only `mustNot` clauses it means "everything except". Matching `should` clauses
    /// add to the score.
    case boolean([QueryClause])

    /// The same expression with `field` on every leaf that names no field of its own, for
    /// `title:(diffusion video)`; a field written inside the group wins.
    func applyingDefaultField(_ field: SearchField) -> QueryExpression {
        switch self {
        case .term(let text, nil): .term(text, field: field)
        case .phrase(let text, nil): .phrase(text, field: field)
        case .prefix(let text, nil): .prefix(text, field: field)
        case .term, .phrase, .prefix: self
        case .boolean(let clauses):
            .boolean(clauses.map { QueryClause($0.occur, $0.expression.applyingDefaultField(field)) })
        }
    }
}

/// One child of a boolean query and how it counts.
public struct QueryClause: Equatable, Sendable {
    /// Lucene's three ways a clause takes part in a match.
    public enum Occur: Equatable, Sendable {
        /// Required (`+word`, either side of `AND`).
        case must
        /// Optional, adds to the score (bare words, `OR`).
        case should
        /// Excluded (`-word`, `NOT word`).
        case mustNot
    }

    public var occur: Occur
    public var expression: QueryExpression

    public init(_ occur: Occur, _ expression: QueryExpression) {
        self.occur = occur
        self.expression = expression
    }
}

/// A parsed query: what to search for, and the filters that narrow the result without
/// being scored.
public struct ParsedQuery: Equatable, Sendable {
    /// What to search for; nil when the query is empty or has only filters (then every
    /// paper that passes the filters matches).
    public var expression: QueryExpression?
    /// `since:` — the first day a paper may be from, as midnight UTC of that day.
    public var since: Date?
    /// `until:` — the last day a paper may be from, inclusive, as midnight UTC of that day:
    /// a paper matches when its date is before `until` plus one day.
    public var until: Date?
    /// `cat:` — a paper matches when it is in any of these. An archive alone (`cs`) stands for
    /// every category in it (`cs.*`). Codes are spelled as arXiv spells them (`cs.LG`).
    public var categories: [String]
    /// `-cat:` / `NOT cat:` — a paper in any of these does not match.
    public var excludedCategories: [String]

    public init(
        expression: QueryExpression? = nil, since: Date? = nil, until: Date? = nil,
        categories: [String] = [], excludedCategories: [String] = []
    ) {
        self.expression = expression
        self.since = since
        self.until = until
        self.categories = categories
        self.excludedCategories = excludedCategories
    }

    /// Whether the query asks for nothing at all: no words and no filters.
    public var isEmpty: Bool {
        expression == nil && since == nil && until == nil && categories.isEmpty && excludedCategories.isEmpty
    }
}
