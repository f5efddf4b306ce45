import Foundation
import Hummingbird
import PaperboyCore

/// The JSON API under `/api/v1/`: the same catalog calls as the pages, answered as JSON
/// (snake_case keys) and described by the checked-in OpenAPI document it serves.
struct APIController {
    let catalog: PaperCatalog
    let settings: ServerSettings
    /// Search, daily and trending answers as rendered, by address.
    let pages: RenderedPages

    /// Most similar papers one call returns.
    static let maxSimilar = 50

    func register(on router: Router<AppRequestContext>) {
        let api = router.group("/api/v1")
        api.get("openapi.json") { _, _ in try OpenAPIDocument.response() }
        api.get("search") { request, _ in
            try await pages.response(to: request, .search, headers: APIJSON.headers) {
                try APIJSON.body(SearchResponse(try await catalog.search(SearchRequest(Parameters(request)))))
            }
        }
        // Ids hold `/` (`math/0601001`) and `:` (`doi:10.1/x`), so the rest of the path is the id.
        api.get("papers/**") { request, context in
            let parts = context.parameters.getCatchAll().map { String($0).removingPercentEncoding ?? String($0) }
            return try await paper(path: parts, request: request)
        }
        api.get("daily") { request, _ in
            try await pages.response(to: request, .feed, headers: APIJSON.headers) { try await daily(Parameters(request)) }
        }
        api.get("trending") { request, _ in
            try await pages.response(to: request, .feed, headers: APIJSON.headers) { try await trending(Parameters(request)) }
        }
        api.get("stats") { _, _ in try await stats() }
        // The API only reads: every other method on its paths is a 405 naming GET.
        for path in ["search", "papers/**", "daily", "trending", "stats", "openapi.json"] {
            for method in Self.refusedMethods {
                api.on(RouterPath(path), method: method) { _, _ in Self.methodNotAllowed() }
            }
        }
    }

    /// Methods answered with 405 rather than 404 (QUERY is HTTP's newer safe method).
    static let refusedMethods: [HTTPRequest.Method] = [.post, .put, .patch, .delete, .trace]
        + [HTTPRequest.Method("QUERY")].compactMap { $0 }

    static func methodNotAllowed() -> Response {
        let body = #"{"error":"This address only answers GET."}"#
        return Response(status: .methodNotAllowed,
                        headers: [.allow: "GET", .contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// `papers/{id}` or `papers/{id}/similar`; an id that itself ends in `/similar` is
    /// read as the paper when no paper has the shorter id.
    private func paper(path parts: [String], request: Request) async throws -> Response {
        let full = parts.joined(separator: "/")
        if parts.count > 1, parts.last == "similar" {
            let id = parts.dropLast().joined(separator: "/")
            if let paperID = PaperID(id), let found = try await catalog.paper(paperID) {
                let limit = try Parameters(request).integer("size", default: 10, in: 1...Self.maxSimilar)
                let hits = try await catalog.similar(to: found.paper, limit: limit)
                return try APIJSON.response(SimilarResponse(id: found.paper.id.rawValue, results: hits.map {
                    SearchHitRecord(paper: PaperRecord($0.paper), score: Double($0.score), snippet: SnippetRecord($0.snippet))
                }))
            }
        }
        guard let id = PaperID(full) else {
            if ArxivIDShape.isWellFormed(full) { throw HTTPError(.notFound, message: "No paper with id \(full).") }
            throw ParameterError("id", "must be an arXiv id (2401.01234, math/0601001), doi:… or title:…, not \"\(full.prefix(100))\"")
        }
        guard let found = try await catalog.paper(id) else {
            throw HTTPError(.notFound, message: "No paper with id \(id.rawValue).")
        }
        return try APIJSON.response(PaperRecord(found))
    }

    private func daily(_ parameters: Parameters) async throws -> RenderedBody {
        let span = try parameters.choice("view", as: FeedSpan.self) ?? .day
        let category = try parameters.category("cat")
        let window: DayWindow?
        if let day = try parameters.day("date") {
            window = DayWindow(containing: day, span: span)
        } else {
            window = try await catalog.latestWindow(span: span, category: category)
        }
        guard let window else {
            return try APIJSON.body(DailyResponse(view: span.rawValue, category: category, papers: []))
        }
        let feed = try await catalog.daily(window, category: category)
        return try APIJSON.body(DailyResponse(
            view: span.rawValue, date: window.isoDay, title: window.title, category: category,
            previous: feed.previous?.isoDay, next: feed.next?.isoDay,
            papers: feed.papers.map { RankedPaperRecord(paper: PaperRecord($0), score: $0.score) }))
    }

    private func trending(_ parameters: Parameters) async throws -> RenderedBody {
        let category = try parameters.category("cat")
        let page = try parameters.integer("page", default: 1, in: 1...SearchRequest.maxPage)
        let size = try parameters.integer("size", default: 20, in: 1...SearchRequest.maxPageSize)
        let ranked = try await catalog.trending(category: category)
        let slice = ranked.dropFirst((page - 1) * size).prefix(size)
        return try APIJSON.body(TrendingResponse(
            category: category, page: page, size: size, total: ranked.count,
            hasMore: ranked.count > page * size,
            papers: slice.map { RankedPaperRecord(paper: PaperRecord($0), score: $0.score) }))
    }

    private func stats() async throws -> Response {
        let statistics = try await catalog.statistics()
        return try APIJSON.response(StatsResponse(
            papers: statistics.papers, papersBySource: statistics.papersBySource,
            topCategories: statistics.topCategories.map { .init(category: $0.category, papers: $0.papers) },
            earliestPublished: statistics.earliestPublished.map(APIDate.string),
            latestPublished: statistics.latestPublished.map(APIDate.string),
            keywordIndexDocuments: catalog.engine.keywordIndex.documentCount,
            semanticSearch: catalog.searchesByMeaning))
    }
}

/// The checked-in OpenAPI document, served as it is on disk, read once.
enum OpenAPIDocument {
    static let loaded: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
        .flatMap { try? Data(contentsOf: $0) }

    static func data() throws -> Data {
        guard let loaded else {
            throw HTTPError(.internalServerError, message: "The OpenAPI document is missing from the build.")
        }
        return loaded
    }

    static func response() throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: try data())))
    }
}
