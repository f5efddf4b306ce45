import Foundation

/// The parameters of arXiv's `/api/query`, checked the way arXiv checks them: every
/// problem is a `Problem` whose message goes into arXiv's error feed.
struct ArxivQueryRequest: Equatable {
    enum SortBy: String, CaseIterable {
        case relevance, lastUpdatedDate, submittedDate
    }

    enum SortOrder: String, CaseIterable {
        case ascending, descending
    }

    var searchQuery: String
    var idList: [String]
    var start: Int
    var maxResults: Int
    var sortBy: SortBy
    var sortOrder: SortOrder

    /// arXiv's limit on `start + max_results`: results past it cannot be paged to.
    static let maxTotal = 30_000
    /// arXiv's limit on entries per call; a larger `max_results` is cut to it.
    static let maxPerCall = 2_000
    static let maxQueryLength = 1_000

    /// Entries this call returns at most.
    var pageSize: Int { min(maxResults, Self.maxPerCall) }

    init(searchQuery: String = "", idList: [String] = [], start: Int = 0, maxResults: Int = 10,
         sortBy: SortBy = .relevance, sortOrder: SortOrder = .descending) {
        self.searchQuery = searchQuery
        self.idList = idList
        self.start = start
        self.maxResults = maxResults
        self.sortBy = sortBy
        self.sortOrder = sortOrder
    }

    /// Reads the query-string `values` (first value of each name).
    init(_ values: [String: String]) throws(ArxivSearchQuery.Problem) {
        func value(_ name: String) -> String? {
            values[name]?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfBlank
        }
        let query = value("search_query") ?? ""
        guard query.count <= Self.maxQueryLength else {
            throw .init(message: "search_query is longer than \(Self.maxQueryLength) characters")
        }
        guard !query.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .init(message: "search_query contains a control character")
        }
        let ids = (value("id_list") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard ids.count <= Self.maxPerCall else { throw .init(message: "id_list has more than \(Self.maxPerCall) ids") }
        let start = try Self.integer(value("start"), name: "start", default: 0)
        let maxResults = try Self.integer(value("max_results"), name: "max_results", default: 10)
        guard start <= Self.maxTotal, maxResults <= Self.maxTotal, start + maxResults <= Self.maxTotal else {
            throw .init(message: "start plus max_results must be at most \(Self.maxTotal)")
        }
        let sortBy = try Self.choice(value("sortBy"), name: "sortBy", default: SortBy.relevance)
        let sortOrder = try Self.choice(value("sortOrder"), name: "sortOrder", default: SortOrder.descending)
        self.init(searchQuery: query, idList: ids, start: start, maxResults: maxResults, sortBy: sortBy, sortOrder: sortOrder)
    }

    private static func integer(_ text: String?, name: String, default fallback: Int) throws(ArxivSearchQuery.Problem) -> Int {
        guard let text else { return fallback }
        guard text.count <= 9, let value = Int(text) else { throw .init(message: "\(name) must be an integer") }
        guard value >= 0 else { throw .init(message: "\(name) must be non-negative") }
        return value
    }

    private static func choice<E: RawRepresentable & CaseIterable>(_ text: String?, name: String, default fallback: E)
        throws(ArxivSearchQuery.Problem) -> E where E.RawValue == String {
        guard let text else { return fallback }
        guard let value = E(rawValue: text) else {
            throw .init(message: "\(name) must be in: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension String {
    var nilIfBlank: String? { isEmpty ? nil : self }
}
