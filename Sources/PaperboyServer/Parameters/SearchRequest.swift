import Foundation
import Retrieval
import SearchIndex

/// A search as the pages, the JSON API and the feeds take it: what the reader typed plus
/// the form's filters, order, mode and page, every value checked.
public struct SearchRequest: Sendable, Equatable {
    public enum Sort: String, CaseIterable, Sendable {
        /// Best match first.
        case relevance
        /// The best `SearchRequest.newestDepth` matches, newest first.
        case newest
    }

    public var query: String
    public var mode: SearchMode?
    public var since: Date?
    public var until: Date?
    public var category: String?
    public var author: String?
    public var sort: Sort
    /// 1-based.
    public var page: Int
    public var pageSize: Int

    public static let maxQueryLength = 500
    public static let maxPage = 50
    public static let maxPageSize = 100
    /// How many matches a newest-first search orders by date.
    public static let newestDepth = 500

    public init(query: String, mode: SearchMode? = nil, since: Date? = nil, until: Date? = nil,
                category: String? = nil, author: String? = nil, sort: Sort = .relevance,
                page: Int = 1, pageSize: Int = 20) {
        self.query = query
        self.mode = mode
        self.since = since
        self.until = until
        self.category = category
        self.author = author
        self.sort = sort
        self.page = page
        self.pageSize = pageSize
    }

    /// Reads `q`, `mode`, `since`, `until`, `cat`, `author`, `sort`, `page` and `size`.
    public init(_ parameters: Parameters, defaultPageSize: Int = 20) throws(ParameterError) {
        self.init(query: try parameters.string("q", maxLength: Self.maxQueryLength) ?? "",
                  mode: try parameters.choice("mode", as: SearchMode.self),
                  since: try parameters.day("since"),
                  until: try parameters.day("until"),
                  category: try parameters.category("cat"),
                  author: try parameters.string("author", maxLength: 200),
                  sort: try parameters.choice("sort", as: Sort.self) ?? .relevance,
                  page: try parameters.integer("page", default: 1, in: 1...Self.maxPage),
                  pageSize: try parameters.integer("size", default: defaultPageSize, in: 1...Self.maxPageSize))
        if let since, let until, since > until {
            throw ParameterError("until", "is before since")
        }
    }

    /// Whether there is anything to search for.
    public var isEmpty: Bool {
        query.isEmpty && since == nil && until == nil && category == nil && author == nil
    }

    /// The reader's query narrowed by the form's filters; nil when they contradict each
    /// other (a typed `cat:` outside the form's category) and nothing can match. A syntax
    /// error points into `q`.
    public func parsed() throws(ParameterError) -> ParsedQuery? {
        var parsed: ParsedQuery
        do {
            parsed = try QueryParser.parse(query)
        } catch {
            throw ParameterError("q", error.message, column: error.column)
        }
        if let since { parsed.since = max(parsed.since ?? since, since) }
        if let until { parsed.until = min(parsed.until ?? until, until) }
        if let category {
            // Both the typed `cat:` and the form's category must hold: keep what lies in both.
            parsed.categories = parsed.categories.isEmpty ? [category]
                : parsed.categories.compactMap { Self.narrower(of: $0, and: category) }
            if parsed.categories.isEmpty { return nil }
        }
        if let author {
            let byAuthor = QueryExpression.phrase(author, field: .authors)
            parsed.expression = parsed.expression.map {
                .boolean([QueryClause(.must, $0), QueryClause(.must, byAuthor)])
            } ?? byAuthor
        }
        return parsed
    }

    /// The narrower of two categories when one lies within the other (`cs` and `cs.LG` give
    /// `cs.LG`), nil when they are disjoint.
    static func narrower(of a: String, and b: String) -> String? {
        if a == b || b.hasPrefix(a + ".") { return b }
        if a.hasPrefix(b + ".") { return a }
        return nil
    }
}
