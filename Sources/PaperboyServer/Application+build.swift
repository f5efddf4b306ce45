import Foundation
import Hummingbird
import Logging
import PaperboyCore
import ServiceLifecycle
import Synchronization

/// Where and how `paperboy serve` listens.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The address links in feeds and API answers are made absolute with (`http://host:port`
    /// when nil), for a server behind a proxy.
    public var publicURL: String?
    /// Bytes of memory for rendered pages and API answers (0: render every request).
    public var renderedPagesBudget: Int
    /// How often the `IndexRefresher` looks at the store and embeds a batch.
    public var refreshInterval: Duration

    /// 64 MiB: about 1,400 search pages of 45 KB.
    public static let defaultRenderedPagesBudget = 64 << 20

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil,
                renderedPagesBudget: Int = defaultRenderedPagesBudget, refreshInterval: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.renderedPagesBudget = renderedPagesBudget
        self.refreshInterval = refreshInterval
    }

    /// The port the server actually listens on, once known (it differs from `port` when
    /// that is 0 and the system chose one).
    let boundPort = BoundPort()

    /// Where readers reach this server: `publicURL`, else `http://host:port`.
    public var baseURL: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(boundPort.value ?? port)"
    }
}

/// A port learnt after the settings were made, shared by every copy of them.
final class BoundPort: Sendable {
    private let port = Mutex<Int?>(nil)
    var value: Int? { port.withLock { $0 } }
    func set(_ value: Int) { port.withLock { $0 = value } }
}

/// The one place the web app is assembled: routes, middleware and the catalog they read.
/// `accounts` knows who each request comes from (sessions, CSRF tokens) and serves the
/// account pages. `services` run beside it and stop with it (a harvest scheduler). `onReady` gets the port
/// the server listens on (the one the system chose for port 0).
public func buildApplication(catalog: PaperCatalog, settings: ServerSettings, accounts: Accounts,
                             library: LibraryAccess? = nil, forYou: ForYouSources? = nil,
                             subscriptions: SubscriptionPages? = nil, services: [any Service] = [],
                             logger: Logger = Logger(label: "paperboy.server"),
                             onReady: @escaping @Sendable (Int) -> Void = { _ in }) throws -> some ApplicationProtocol {
    let router = try buildRouter(catalog: catalog, settings: settings, accounts: accounts, library: library,
                                 forYou: forYou, subscriptions: subscriptions, logger: logger)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port),
                                                serverName: "Paperboy"),
        services: [IndexRefresher(catalog: catalog, interval: settings.refreshInterval, announcements: (catalog.store as? any ChangeAnnouncing)?.announcedChanges(),
                                  logger: logger)] + services,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? settings.port
            settings.boundPort.set(port)
            onReady(port)
        },
        logger: logger)
}

/// The routes of the app; tests drive this router directly. The library, "For you" and the
/// subscription pages are served when `library`, `forYou` and `subscriptions` are given. Without
/// `accounts` (tests of those pages, which stand in for accounts with their closures) nobody
/// signs in and no CSRF token is checked.
public func buildRouter(catalog: PaperCatalog, settings: ServerSettings, accounts: Accounts?,
                        library: LibraryAccess? = nil, forYou: ForYouSources? = nil,
                        subscriptions: SubscriptionPages? = nil,
                        logger: Logger = Logger(label: "paperboy.server")) throws -> Router<AppRequestContext> {
    let metrics = RequestMetrics()
    let views = try Views()
    let pages = RenderedPages(catalog: catalog, budget: settings.renderedPagesBudget)
    let router = Router(context: AppRequestContext.self)
    // Outermost first: every request is timed, its visitor is known (error pages show the
    // reader too), every error becomes a readable answer, oversized requests stop before
    // any route, and no post changes anything without the visitor's CSRF token.
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    if let accounts { router.add(middleware: VisitorMiddleware(accounts: accounts)) }
    router.addMiddleware {
        ErrorResponseMiddleware(views: views)
        RequestLimitsMiddleware()
    }
    if accounts != nil { router.add(middleware: CSRFMiddleware()) }
    HealthController(catalog: catalog, metrics: metrics).register(on: router)
    StaticController().register(on: router)
    PageController(catalog: catalog, views: views, pages: pages, library: library).register(on: router)
    if let accounts { AccountsController(accounts: accounts, views: views, settings: settings).register(on: router) }
    if let library { LibraryController(catalog: catalog, views: views, access: library).register(on: router) }
    APIController(catalog: catalog, settings: settings, pages: pages).register(on: router)
    var trends = TrendsController(catalog: catalog, views: views, pages: pages)
    if let store = subscriptions?.store {
        trends.savedSearches = { reader in try await store.subscription(reader: reader)?.options.savedSearches ?? [] }
    }
    trends.register(on: router)
    FeedController(catalog: catalog, settings: settings).register(on: router)
    ArxivQueryController(catalog: catalog, settings: settings).register(on: router)
    MapController(catalog: catalog, views: views).register(on: router)
    if let forYou { ForYouController(sources: forYou, catalog: catalog, views: views).register(on: router) }
    if let subscriptions { SubscriptionController(setup: subscriptions, views: views).register(on: router) }
    return router
}
