import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The tools over streamable HTTP: one endpoint (`/mcp`) taking POST (messages), GET (the
/// server's own event stream) and DELETE (end of a session), through the SDK's stateful
/// transport, served by Hummingbird like the web app.
public struct MCPHTTPServer: Sendable {
    public static let endpoint = "/mcp"

    let sessions: HTTPSessions
    let host: String
    let port: Int
    let logger: Logger
    /// Run beside the listener and stopped with it (the index refresher).
    let services: [any Service]

    public init(toolbox: Toolbox, host: String, port: Int, logger: Logger, services: [any Service] = []) {
        sessions = HTTPSessions(toolbox: toolbox, host: host, logger: logger)
        self.host = host
        self.port = port
        self.logger = logger
        self.services = services
    }

    /// Serves until SIGTERM or SIGINT. `onReady` gets the port listened on (the system's
    /// choice for port 0). Sessions close before the listener stops, so that open event
    /// streams end and shutdown does not wait on them.
    public func run(onReady: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        let sessions = self.sessions
        let handle: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let body = request.method == .post ? try await request.collectBody(upTo: HTTPBridge.maxBody) : nil
            return HTTPBridge.response(await sessions.handle(HTTPBridge.request(request, body: body)))
        }
        router.post(RouterPath(Self.endpoint), use: handle)
        router.get(RouterPath(Self.endpoint), use: handle)
        router.delete(RouterPath(Self.endpoint), use: handle)
        let app = Application(router: router,
                              configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Paperboy MCP"),
                              onServerRunning: { [port] channel in onReady(channel.localAddress?.port ?? port) },
                              logger: logger)
        let group = ServiceGroup(configuration: .init(services: services + [app, SessionSweeper(sessions: sessions)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Closes idle sessions now and then, and every session at shutdown.
private struct SessionSweeper: Service {
    let sessions: HTTPSessions

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                await sessions.closeIdle()
            }
        }
        await sessions.closeAll()
    }
}
