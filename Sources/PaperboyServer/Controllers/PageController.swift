import Foundation
import Hummingbird
import PaperboyCore

/// The HTML pages: the daily feed (`/`), trending, search (with type-ahead) and one page per
/// paper with its upvote. Every page is rendered from plain dictionaries (`PageModels`) by
/// templates parsed once at start-up, so the hot daily page does no file I/O.
struct PageController {
    let catalog: PaperCatalog
    let views: Views
    /// The daily, trending and search pages as rendered, by address.
    let pages: RenderedPages
    /// Readers' libraries, when the app has them: paper pages then offer "Save".
    var library: LibraryAccess? = nil

    /// Sent with every page: scripts and styles only from `/static`, so an injected
    /// `<script>` could not run even if escaping failed somewhere.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"

    func register(on router: Router<AppRequestContext>) {
        router.get("/") { request, context in try await daily(request, for: context.visitor) }
        router.get("/trending") { request, context in try await trending(request, for: context.visitor) }
        router.get("/search") { request, context in try await search(request, for: context.visitor) }
        router.get("/search/suggest") { request, _ in try await suggest(request) }
        router.get("/papers/**") { request, context in try await paperPage(request, context) }
        router.post("/papers/**") { request, context in try await upvote(request, context) }
    }

    /// Every page's headers.
    static let htmlHeaders: HTTPFields = [.contentType: "text/html; charset=utf-8",
                                          .contentSecurityPolicy: contentSecurityPolicy,
                                          .xContentTypeOptions: "nosniff"]

    /// `template` rendered with `context` for `visitor`.
    func htmlPage(_ template: String, _ context: [String: Any], for visitor: Visitor,
                  status: HTTPResponse.Status = .ok) throws -> RenderedBody {
        RenderedBody(status: status, bytes: ByteBuffer(string: try views.render(template, context, for: visitor)))
    }

    /// A page with the security headers.
    func htmlResponse(_ page: RenderedBody) -> Response {
        Response(status: page.status, headers: Self.htmlHeaders, body: ResponseBody(byteBuffer: page.bytes))
    }

    /// The page at `request`'s address as last rendered by `render` (see `RenderedPages`).
    /// Kept pages are rendered for `Visitor.unknown`, the same for every anonymous visitor
    /// (they hold no form that posts); a signed-in reader's header names them, so their
    /// page is rendered for them and never kept.
    func cachedPage(_ request: Request, _ kind: RenderedPages.Kind, for visitor: Visitor,
                    render: @escaping @Sendable (Visitor) async throws -> RenderedBody) async throws -> Response {
        if visitor.reader != nil {
            var headers = Self.htmlHeaders
            headers[.cacheControl] = "private, no-store"
            let page = try await render(visitor)
            return Response(status: page.status, headers: headers, body: ResponseBody(byteBuffer: page.bytes))
        }
        return try await pages.response(to: request, kind, headers: Self.htmlHeaders) { try await render(.unknown) }
    }

    // MARK: Daily

    func daily(_ request: Request, for visitor: Visitor) async throws -> Response {
        try await cachedPage(request, .feed, for: visitor) { try await renderDaily(request, for: $0) }
    }

    private func renderDaily(_ request: Request, for visitor: Visitor) async throws -> RenderedBody {
        let parameters = Parameters(request)
        let span = try parameters.choice("view", as: FeedSpan.self) ?? .day
        let date = try parameters.day("date")
        let category = try parameters.category("cat")
        let page = try parameters.integer("page", default: 1, in: 1...1_000)

        var context: [String: Any] = ["navDaily": true]
        if let category { context["category"] = category }
        context["views"] = FeedSpan.allCases.map { candidate -> [String: Any] in
            ["name": candidate.rawValue.capitalized, "current": candidate == span,
             "url": PageModels.link("/", [("view", candidate == .day ? nil : candidate.rawValue),
                                          ("date", date.map(DayWindow.isoDay)), ("cat", category)])]
        }
        context["view"] = span.rawValue
        if let date { context["date"] = DayWindow.isoDay(date) }

        let chosen: DayWindow? = if let date { DayWindow(containing: date, span: span) }
            else { try await catalog.latestWindow(span: span, category: category) }
        guard let window = chosen else {
            if let category {
                context["heading"] = "No papers in \(category) yet"
                context["emptyCategory"] = category
            } else {
                context["heading"] = "No papers yet"
                context["emptyStore"] = true
            }
            return try htmlPage("daily", context, for: visitor)
        }
        let feed = try await catalog.daily(window, category: category)
        let link = { (window: DayWindow, page: Int?) in
            PageModels.link("/", [("view", span == .day ? nil : span.rawValue), ("date", window.isoDay),
                                  ("cat", category), ("page", page.map(String.init))])
        }
        context["heading"] = window.title
        context["date"] = window.isoDay
        if let previous = feed.previous { context["previous"] = ["url": link(previous, nil), "title": previous.title] }
        if let next = feed.next { context["next"] = ["url": link(next, nil), "title": next.title] }

        let pageCount = max(1, (feed.papers.count + PageModels.feedPageSize - 1) / PageModels.feedPageSize)
        guard page <= pageCount else {
            throw ParameterError("page", "must be at most \(pageCount) for this \(span.rawValue)")
        }
        let start = (page - 1) * PageModels.feedPageSize
        let shown = feed.papers.dropFirst(start).prefix(PageModels.feedPageSize)
        context["papers"] = shown.enumerated().map { offset, ranked in
            PageModels.card(ranked.paper, rank: start + offset + 1, upvotes: ranked.upvotes)
        }
        context["count"] = feed.papers.count
        context["pagination"] = PageModels.pagination(page: page, hasMore: page < pageCount) { link(window, $0) }
        context["filterCategories"] = Self.categories(of: feed.papers.map(\.paper), current: category) { name in
            PageModels.link("/", [("view", span == .day ? nil : span.rawValue), ("date", window.isoDay), ("cat", name)])
        }
        context["hasFilterCategories"] = (context["filterCategories"] as? [[String: Any]])?.isEmpty == false
        if feed.papers.isEmpty {
            context["emptyWindow"] = true
            if let nearest = nearest(to: window, previous: feed.previous, next: feed.next) {
                context["nearest"] = ["url": link(nearest, nil), "title": nearest.title]
            }
            // The catalog looks only a few windows ahead; the newest papers may lie further on.
            if feed.next == nil, let latest = try await catalog.latestWindow(span: span, category: category),
               latest.start > window.start {
                context["latest"] = ["url": link(latest, nil), "title": latest.title]
            }
        }
        return try htmlPage("daily", context, for: visitor)
    }

    /// The window with papers closest to `window` (the earlier one on a tie).
    private func nearest(to window: DayWindow, previous: DayWindow?, next: DayWindow?) -> DayWindow? {
        switch (previous, next) {
        case let (previous?, next?):
            window.start.timeIntervalSince(previous.start) <= next.start.timeIntervalSince(window.start) ? previous : next
        case let (previous?, nil): previous
        case let (nil, next?): next
        case (nil, nil): nil
        }
    }

    /// The most frequent categories among `papers`, as filter links (the current one first).
    static func categories(of papers: [Paper], current: String?, limit: Int = 12,
                           link: (String) -> String) -> [[String: Any]] {
        var counts: [String: Int] = [:]
        for paper in papers { for category in paper.categories { counts[category, default: 0] += 1 } }
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
        return top.map { name, count in
            ["name": name, "count": count, "url": link(name), "current": name == current]
        }
    }

    // MARK: Trending

    func trending(_ request: Request, for visitor: Visitor) async throws -> Response {
        try await cachedPage(request, .feed, for: visitor) { try await renderTrending(request, for: $0) }
    }

    private func renderTrending(_ request: Request, for visitor: Visitor) async throws -> RenderedBody {
        let parameters = Parameters(request)
        let category = try parameters.category("cat")
        let page = try parameters.integer("page", default: 1, in: 1...1_000)
        let ranked = try await catalog.trending(category: category)
        let pageCount = max(1, (ranked.count + PageModels.feedPageSize - 1) / PageModels.feedPageSize)
        guard page <= pageCount else { throw ParameterError("page", "must be at most \(pageCount)") }
        let start = (page - 1) * PageModels.feedPageSize
        let shown = ranked.dropFirst(start).prefix(PageModels.feedPageSize)
        var context: [String: Any] = ["navTrending": true, "count": ranked.count, "hasPapers": !shown.isEmpty]
        if let category { context["category"] = category }
        context["papers"] = shown.enumerated().map { offset, item in
            PageModels.card(item.paper, rank: start + offset + 1, upvotes: item.upvotes)
        }
        context["days"] = PaperCatalog.trendingDays
        context["pagination"] = PageModels.pagination(page: page, hasMore: page < pageCount) {
            PageModels.link("/trending", [("cat", category), ("page", String($0))])
        }
        context["filterCategories"] = Self.categories(of: ranked.map(\.paper), current: category) {
            PageModels.link("/trending", [("cat", $0)])
        }
        context["hasFilterCategories"] = (context["filterCategories"] as? [[String: Any]])?.isEmpty == false
        return try htmlPage("trending", context, for: visitor)
    }
}
