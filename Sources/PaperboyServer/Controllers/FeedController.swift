import Foundation
import Hummingbird
import PaperboyCore

/// Atom 1.0 feeds for feed readers: the daily list, a category's daily list, and a saved
/// search's newest matches. Bad parameters answer 400 as JSON (see ErrorResponseMiddleware).
struct FeedController {
    let catalog: PaperCatalog
    let settings: ServerSettings

    /// Most entries one feed holds (feed readers poll; they need the newest, not all).
    static let maxEntries = 100

    func register(on router: Router<AppRequestContext>) {
        router.get("/feeds/daily.atom") { request, _ in
            try await daily(Parameters(request), category: nil, selfPath: "/feeds/daily.atom")
        }
        router.get("/feeds/category/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".atom") else { throw HTTPError(.notFound) }
            let category = try Parameters(["cat": String(file.dropLast(5))]).category("cat")
            return try await daily(Parameters(request), category: category, selfPath: "/feeds/category/\(file)")
        }
        router.get("/feeds/search.atom") { request, _ in try await search(request) }
    }

    /// The papers of the latest day (or `?date=`) holding papers, hottest first.
    private func daily(_ parameters: Parameters, category: String?, selfPath: String) async throws -> Response {
        let date = try parameters.day("date")
        var window = date.map { DayWindow(containing: $0, span: .day) }
        if window == nil { window = try await catalog.latestWindow(span: .day, category: category) }
        var papers: [Paper] = []
        if let window { papers = try await catalog.daily(window, category: category).papers.map(\.paper) }
        let updated = papers.compactMap { $0.updated ?? $0.published }.max() ?? window?.start ?? Date(timeIntervalSince1970: 0)
        let scope = category.map { " in \($0)" } ?? ""
        var feed = AtomFeed(
            id: settings.baseURL + selfPath + (category == nil && date == nil ? "" : "?day=\(window?.isoDay ?? "")"),
            title: "Paperboy: papers of \(window?.title ?? "no day yet")\(scope)",
            updated: updated, selfLink: settings.baseURL + selfPath + (date.map { "?date=\(DayWindow.isoDay($0))" } ?? ""),
            alternateLink: settings.baseURL + "/", entries: [])
        feed.entries = papers.prefix(Self.maxEntries).map { AtomEntry(paper: $0, fallbackDate: updated) }
        return Self.atom(feed.xml())
    }

    /// A saved search: its newest matches, newest first.
    private func search(_ request: Request) async throws -> Response {
        var search = try SearchRequest(Parameters(request), defaultPageSize: 50)
        guard !search.query.isEmpty else { throw ParameterError("q", "is required: the search this feed follows") }
        search.sort = .newest
        let results = try await catalog.search(search)
        let papers = results.hits.map(\.paper)
        let updated = papers.compactMap { $0.updated ?? $0.published }.max() ?? Date(timeIntervalSince1970: 0)
        let query = search.query.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? ""
        var feed = AtomFeed(
            id: settings.baseURL + "/feeds/search.atom?q=" + query,
            title: "Paperboy: newest papers for \(search.query)", updated: updated,
            selfLink: settings.baseURL + "/feeds/search.atom?q=" + query,
            alternateLink: settings.baseURL + "/search?q=" + query + "&sort=newest", entries: [])
        feed.entries = papers.map { AtomEntry(paper: $0, fallbackDate: updated) }
        return Self.atom(feed.xml())
    }

    static func atom(_ xml: String, status: HTTPResponse.Status = .ok) -> Response {
        .text(xml, status: status, contentType: "application/atom+xml; charset=utf-8")
    }
}

extension CharacterSet {
    /// What may stand unescaped in a query-string value.
    static let urlQueryValueAllowed: CharacterSet = {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?")
        return allowed
    }()
}
