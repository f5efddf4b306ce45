import Foundation
import Logging
import MCP

/// The open sessions of the streamable HTTP transport: one protocol server and one
/// `StatefulHTTPServerTransport` each, found by the `Mcp-Session-Id` header. An `initialize`
/// without a session opens one; DELETE closes it; a session idle for `idleLimit` is closed.
actor HTTPSessions {
    private struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    private var sessions: [String: Session] = [:]
    private let toolbox: Toolbox
    private let validation: any HTTPRequestValidationPipeline
    private let logger: Logger
    let idleLimit: Duration

    /// `host` is the address listened on, which requests must name.
    init(toolbox: Toolbox, host: String, idleLimit: Duration = .seconds(3_600), logger: Logger) {
        self.toolbox = toolbox
        validation = Self.validation(host: host)
        self.idleLimit = idleLimit
        self.logger = logger
    }

    var count: Int { sessions.count }

    func handle(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        let method = request.method.uppercased()
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id] else {
                return .error(statusCode: 404, .invalidRequest("Not Found: no session \(id); it ended or expired, so initialize again"))
            }
            session.lastUsed = .now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if method == "DELETE", response.statusCode == 200 { await close(id) }
            return response
        }
        if method == "POST", HTTPBridge.isInitialize(request.body) { return await open(request) }
        return .error(statusCode: 400, .invalidRequest("Bad Request: missing \(HTTPHeaderName.sessionID) header; send initialize first"))
    }

    /// Opens a session for an `initialize` request and answers it.
    private func open(_ request: MCP.HTTPRequest) async -> MCP.HTTPResponse {
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id), validationPipeline: validation,
                                                    logger: logger)
        let server = await PaperboyMCP.makeServer(toolbox)
        do {
            try await server.start(transport: transport)
        } catch {
            await transport.disconnect()
            return .error(statusCode: 500, .internalError("could not start a session: \(error)"))
        }
        sessions[id] = Session(server: server, transport: transport, lastUsed: .now)
        let response = await transport.handleRequest(request)
        if case .error = response { await close(id) }
        logger.debug("MCP session opened", metadata: ["session": "\(id)"])
        return response
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
        logger.debug("MCP session closed", metadata: ["session": "\(id)"])
    }

    func closeIdle() async {
        let cutoff = ContinuousClock.now - idleLimit
        for (id, session) in sessions where session.lastUsed < cutoff { await close(id) }
    }

    func closeAll() async {
        for id in sessions.keys { await close(id) }
    }

    /// The SDK's checks of every request. Host and Origin must name this server, against DNS
    /// rebinding: any loopback name when listening on loopback, else `host` itself as well.
    static func validation(host: String) -> any HTTPRequestValidationPipeline {
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        let local = OriginValidator.localhost()
        let origin = loopback ? local : OriginValidator(
            allowedHosts: local.allowedHosts + ["\(host):*"],
            allowedOrigins: local.allowedOrigins + ["http://\(host):*", "https://\(host):*"])
        return StandardValidationPipeline(validators: [
            origin, AcceptHeaderValidator(mode: .sseRequired), ContentTypeValidator(), ProtocolVersionValidator(), SessionValidator(),
        ])
    }
}

/// Gives the transport the id the session table files it under.
private struct FixedSessionID: SessionIDGenerator {
    let id: String
    func generateSessionID() -> String { id }
}
