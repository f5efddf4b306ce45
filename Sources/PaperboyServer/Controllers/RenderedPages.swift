import Hummingbird

/// An answer as rendered once: its status and body (headers are the route's own).
struct RenderedBody: Sendable {
    var status: HTTPResponse.Status = .ok
    var bytes: ByteBuffer
}

/// Rendered answers by address, shared by the pages and the JSON API, so the daily page, a
/// trending page or a search many readers run costs a lookup instead of a ranking, a store
/// read and a rendering.
///
/// An answer is keyed by its full address and the catalog's version: when the indexes catch
/// up with the store the version moves on and every answer is made afresh (the old ones age
/// out). That is all a search answer depends on, so it is kept until then (or evicted); a
/// feed also shows this site's votes, which are not paper changes, so a feed answer lives
/// `feedLifetime` and is then refreshed in the background while readers keep getting the
/// previous one. Only answers that rendered are kept: a parameter error is recomputed,
/// which costs nothing.
struct RenderedPages: Sendable {
    let catalog: PaperCatalog
    private let cache: RefreshingCache
    private let feedLifetime: Duration

    /// What an answer is made from, which says how long it may be kept.
    enum Kind {
        /// Search results: papers and their index, nothing else.
        case search
        /// Daily and trending feeds: they also count this site's votes.
        case feed
    }

    /// `budget` bytes of answers (0: none kept, every request renders).
    init(catalog: PaperCatalog, budget: Int, feedLifetime: Duration = .seconds(30)) {
        self.catalog = catalog
        cache = RefreshingCache(budget: budget)
        self.feedLifetime = feedLifetime
    }

    /// The answer to `request` with `headers`, rendered by `render` when none is kept.
    func response(to request: Request, _ kind: Kind, headers: HTTPFields,
                  render: @escaping @Sendable () async throws -> RenderedBody) async throws -> Response {
        let key = "\(catalog.version) \(request.uri.description)"
        let lifetime = kind == .search ? nil : feedLifetime
        let rendered = try await cache.value(for: key, lifetime: lifetime, cost: { $0.bytes.readableBytes + key.utf8.count },
                                             compute: render)
        return Response(status: rendered.status, headers: headers, body: ResponseBody(byteBuffer: rendered.bytes))
    }
}
