import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 that replays recorded answers from real sources, with
/// faults queued on demand, so the harvesting code is tested against the bytes and the
/// failures it meets in production, over a real socket.
///
/// ```swift
/// let server = try await ReplayServer.start(routes: [try .recorded("/oai2?verb=…", file: "fixtures/…")])
/// server.inject([.status(503, retryAfter: "1")], into: "/oai2?verb=…")
/// defer { Task { try await server.shutdown() } }
/// ```
public final class ReplayServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let ledger: ReplayLedger
    public let port: Int

    /// `http://127.0.0.1:<port>`, to which a route's `path?query` is appended.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, ledger: ReplayLedger, port: Int) {
        self.group = group
        self.channel = channel
        self.ledger = ledger
        self.port = port
    }

    /// Starts a server on a free port answering `routes`; the first route that matches wins.
    public static func start(routes: [ReplayRoute]) async throws -> ReplayServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ledger = ReplayLedger(routes: routes)
        do {
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(ReplayHandler(ledger: ledger))
                    }
                }
                .bind(host: "127.0.0.1", port: 0)
                .get()
            guard let port = channel.localAddress?.port else {
                throw ReplayServerError(message: "the replay server's socket has no port")
            }
            return ReplayServer(group: group, channel: channel, ledger: ledger, port: port)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Queues `faults` on the route named `route`; each is used by one request, in order.
    public func inject(_ faults: [ReplayFault], into route: String) {
        ledger.inject(faults, into: route)
    }

    /// Every request received so far, in order of arrival.
    public var requests: [ReplayRequest] { ledger.requests }

    /// Stops listening and closes every connection.
    public func shutdown() async throws {
        try? await channel.close()
        try await group.shutdownGracefully()
    }
}

/// A replay server that could not start.
public struct ReplayServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The routes, their queued faults and the requests seen, shared by every connection.
final class ReplayLedger: Sendable {
    private struct State {
        var faults: [String: [ReplayFault]] = [:]
        var requests: [ReplayRequest] = []
    }

    private let routes: [ReplayRoute]
    private let state = Mutex(State())

    init(routes: [ReplayRoute]) {
        self.routes = routes
    }

    func inject(_ faults: [ReplayFault], into route: String) {
        precondition(routes.contains { $0.name == route }, "no replay route named \(route)")
        state.withLock { $0.faults[route, default: []].append(contentsOf: faults) }
    }

    var requests: [ReplayRequest] { state.withLock { $0.requests } }

    /// Records the request and decides the answer, using up the route's next fault.
    func reply(method: String, target: String, userAgent: String?) -> ReplayReply {
        state.withLock { state in
            state.requests.append(
                ReplayRequest(method: method, target: target, userAgent: userAgent, receivedAt: .now))
            guard method == "GET", let route = routes.first(where: { $0.matches(target) }) else {
                return .notFound(target)
            }
            let fault = state.faults[route.name]?.isEmpty == false ? state.faults[route.name]?.removeFirst() : nil
            return ReplayReply(route: route, fault: fault, routes: routes)
        }
    }
}
