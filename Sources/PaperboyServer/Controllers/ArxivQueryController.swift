import Foundation
import Hummingbird
import PaperboyCore
import Retrieval
import SearchIndex

/// `/api/query`: arXiv's search API over Paperboy's papers, so tools written for arXiv
/// (the `arxiv` Python package, feed readers, scripts) work against a Paperboy server.
/// Same parameters and the same Atom as arXiv, including its error feed (HTTP 400) for
/// bad input. Searches rank by keywords alone, as arXiv does.
///
/// `opensearch:totalResults` counts the matches Paperboy ranks, at most `rankDepth`
/// (a search matching more reports `rankDepth` and pages through the best of them).
struct ArxivQueryController {
    let catalog: PaperCatalog
    let settings: ServerSettings

    /// Most matches one search ranks, and so the most `totalResults` reports.
    static let rankDepth = 2_000

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/query") { request, _ in try await answer(request) }
    }

    private func answer(_ request: Request) async throws -> Response {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters where values[String(key)] == nil {
            // Form encoding writes spaces as +, which arXiv's clients rely on.
            values[String(key)] = String(value).replacingOccurrences(of: "+", with: " ")
        }
        let now = Date()
        do {
            let query = try ArxivQueryRequest(values)
            let (total, papers) = try await run(query)
            return FeedController.atom(feed(for: query, total: total, papers: papers, now: now).xml())
        } catch let problem as ArxivSearchQuery.Problem {
            return FeedController.atom(errorFeed(problem.message, now: now).xml(), status: .badRequest)
        } catch let error as QuerySyntaxError {
            return FeedController.atom(errorFeed("search_query: \(error.message)", now: now).xml(), status: .badRequest)
        }
    }

    /// The total and the papers of the requested page.
    func run(_ query: ArxivQueryRequest) async throws -> (Int, [Paper]) {
        var search = ArxivSearchQuery(text: "")
        if !query.searchQuery.isEmpty { search = try ArxivSearchQuery(query.searchQuery) }
        let asked = query.idList + search.ids
        var ids: [PaperID] = []
        for text in asked {
            guard ArxivIDShape.isWellFormed(text) || PaperID(text) != nil else {
                throw ArxivSearchQuery.Problem(message: "incorrect id format for \(text)")
            }
            // Well formed but impossible (`0000.0000`): no paper has it.
            if let id = PaperID(text) { ids.append(id) }
        }
        let paperboyQuery = search.paperboyQuery
        if !asked.isEmpty, ids.isEmpty { return (0, []) }
        if paperboyQuery.isEmpty {
            // An id list alone: those papers in the order asked, each once; unknown ids are left out.
            var seen = Set<PaperID>()
            var papers: [Paper] = []
            for id in ids {
                guard let paper = try await catalog.store.paper(id: id), seen.insert(paper.id).inserted else { continue }
                papers.append(paper)
            }
            let sorted = sort(papers, query)
            return (sorted.count, Array(sorted.dropFirst(query.start).prefix(query.pageSize)))
        }
        var ranking = try catalog.engine.rank(paperboyQuery, mode: .keyword, depth: Self.rankDepth).compactMap { PaperID($0.id) }
        if !ids.isEmpty {
            let wanted = Set(ids.map(\.rawValue))
            ranking = ranking.filter { wanted.contains($0.rawValue) }
        }
        if query.sortBy == .relevance {
            let ordered = query.sortOrder == .descending ? ranking : Array(ranking.reversed())
            var papers: [Paper] = []
            for id in ordered.dropFirst(query.start).prefix(query.pageSize) {
                if let paper = try await catalog.store.paper(id: id) { papers.append(paper) }
            }
            return (ranking.count, papers)
        }
        var papers: [Paper] = []
        for id in ranking {
            if let paper = try await catalog.store.paper(id: id) { papers.append(paper) }
        }
        let sorted = sort(papers, query)
        return (ranking.count, Array(sorted.dropFirst(query.start).prefix(query.pageSize)))
    }

    /// Papers by date when asked (ties by id, so pages never overlap), as given otherwise.
    private func sort(_ papers: [Paper], _ query: ArxivQueryRequest) -> [Paper] {
        let date: (Paper) -> Date
        switch query.sortBy {
        case .relevance: return query.sortOrder == .descending ? papers : Array(papers.reversed())
        case .lastUpdatedDate: date = { $0.updated ?? $0.published ?? .distantPast }
        case .submittedDate: date = { $0.published ?? .distantPast }
        }
        let ascending = papers.sorted { a, b in date(a) != date(b) ? date(a) < date(b) : a.id < b.id }
        return query.sortOrder == .ascending ? ascending : Array(ascending.reversed())
    }

    private func feed(for query: ArxivQueryRequest, total: Int, papers: [Paper], now: Date) -> AtomFeed {
        let echo = "search_query=\(query.searchQuery)&id_list=\(query.idList.joined(separator: ","))"
            + "&start=\(query.start)&max_results=\(query.maxResults)"
        var items: [URLQueryItem] = [URLQueryItem(name: "search_query", value: query.searchQuery),
                                     URLQueryItem(name: "id_list", value: query.idList.joined(separator: ",")),
                                     URLQueryItem(name: "start", value: String(query.start)),
                                     URLQueryItem(name: "max_results", value: String(query.maxResults))]
        if query.sortBy != .relevance { items.append(URLQueryItem(name: "sortBy", value: query.sortBy.rawValue)) }
        if query.sortOrder != .descending { items.append(URLQueryItem(name: "sortOrder", value: query.sortOrder.rawValue)) }
        var components = URLComponents()
        components.queryItems = items
        let link = settings.baseURL + "/api/query" + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        return AtomFeed(id: link, title: "arXiv Query: \(echo)", updated: now, selfLink: link,
                        totalResults: total, startIndex: query.start, itemsPerPage: query.pageSize,
                        entries: papers.map { Self.entry($0, now: now) })
    }

    /// A paper as arXiv lists it: its versioned abstract page as id, both dates.
    static func entry(_ paper: Paper, now: Date) -> AtomEntry {
        var entry = AtomEntry(paper: paper, fallbackDate: now)
        if paper.id.kind == .arxiv {
            let versioned = paper.id.rawValue + (paper.version.map { "v\($0)" } ?? "")
            entry.id = "https://arxiv.org/abs/\(versioned)"
            entry.alternateLink = entry.id
            entry.pdfLink = "https://arxiv.org/pdf/\(versioned)"
        }
        entry.published = paper.published ?? entry.updated
        return entry
    }

    /// arXiv's error answer: a feed of one entry titled `Error` whose summary says why.
    private func errorFeed(_ message: String, now: Date) -> AtomFeed {
        let anchor = message.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." ? String($0) : "_" }.joined()
        let id = settings.baseURL + "/api/errors#" + anchor
        let entry = AtomEntry(id: id, title: "Error", updated: now, summary: message,
                              authors: ["arXiv api core"], alternateLink: id)
        return AtomFeed(id: settings.baseURL + "/api/", title: "arXiv Search Results", updated: now,
                        selfLink: settings.baseURL + "/api/query", totalResults: 1, startIndex: 0, itemsPerPage: 1,
                        entries: [entry])
    }
}
