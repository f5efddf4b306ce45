import Foundation

/// A recorded answer the replay server gives for the requests a route matches.
public struct ReplayRoute: Sendable {
    /// Names the route when queueing faults or duplicating its body; an exact route's name is
    /// the `path?query` it answers.
    public var name: String
    /// Whether a request's `path?query`, exactly as sent, belongs to this route.
    public var matches: @Sendable (String) -> Bool
    public var body: Data
    public var contentType: String

    public init(name: String, body: Data, contentType: String, matching matches: @escaping @Sendable (String) -> Bool) {
        self.name = name
        self.body = body
        self.contentType = contentType
        self.matches = matches
    }

    /// Answers exactly `target` (`/oai2?verb=ListRecords&…`) with `body`.
    public init(_ target: String, body: Data, contentType: String) {
        self.init(name: target, body: body, contentType: contentType) { $0 == target }
    }

    /// Answers exactly `target` with a recorded file under `../shared`, e.g.
    /// `fixtures/arxiv-oai-pmh/oai_dc_ListRecords_data_2.xml`.
    public static func recorded(
        _ target: String, file: String, contentType: String = "text/xml;charset=UTF-8"
    ) throws -> ReplayRoute {
        ReplayRoute(target, body: try Data(contentsOf: Fixtures.shared(file)), contentType: contentType)
    }
}

/// Something going wrong with one answer. Faults are queued per route and each is used up by
/// one request, in order; once a route's queue is empty it answers normally again.
public enum ReplayFault: Sendable {
    /// Answers with this status (e.g. arXiv's 503 with `Retry-After`) and body instead.
    case status(Int, retryAfter: String? = nil, body: Data = Data())
    /// Sends the head with the full `Content-Length`, the first `afterBytes` bytes of the
    /// body, then closes the connection: a reset mid-transfer.
    case resetMidBody(afterBytes: Int)
    /// A complete 200 answer whose body is only the first `toBytes` bytes, with a matching
    /// `Content-Length`: the server itself sent a truncated page.
    case truncate(toBytes: Int)
    /// Answers normally after a pause, to outlast a client's timeout.
    case delay(Duration)
    /// Answers 200 with other bytes, e.g. an OAI-PMH `badResumptionToken` error document.
    case replace(with: Data)
    /// Answers with the body of the route named so: a page served twice.
    case duplicate(of: String)
}

/// A request the replay server received, for assertions.
public struct ReplayRequest: Sendable {
    public var method: String
    /// The path and query, exactly as sent.
    public var target: String
    public var userAgent: String?
    public var receivedAt: ContinuousClock.Instant
}

/// What the server sends for one request, once routes and faults are resolved.
struct ReplayReply {
    var status: Int
    var contentType: String
    var retryAfter: String?
    var body: Data
    /// How many body bytes are sent before the connection is closed; `body.count` normally.
    var bytesBeforeReset: Int?
    var delay: Duration = .zero

    static func notFound(_ target: String) -> ReplayReply {
        ReplayReply(status: 404, contentType: "text/plain", body: Data("No route for \(target)\n".utf8))
    }

    /// The route's normal answer with `fault` applied; `routes` resolves `.duplicate(of:)`.
    init(route: ReplayRoute, fault: ReplayFault?, routes: [ReplayRoute]) {
        self.init(status: 200, contentType: route.contentType, body: route.body)
        switch fault {
        case nil:
            break
        case .status(let code, let retryAfter, let body):
            self.status = code
            self.retryAfter = retryAfter
            self.body = body
            self.contentType = "text/html"
        case .resetMidBody(let afterBytes):
            bytesBeforeReset = min(max(afterBytes, 0), body.count)
        case .truncate(let toBytes):
            body = body.prefix(max(toBytes, 0))
        case .delay(let pause):
            delay = pause
        case .replace(let data):
            body = data
        case .duplicate(let name):
            guard let other = routes.first(where: { $0.name == name }) else {
                preconditionFailure("no replay route named \(name) to duplicate")
            }
            body = other.body
            contentType = other.contentType
        }
    }

    private init(status: Int, contentType: String, body: Data) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}
