import Foundation
import Logging
import MCP
import PaperboyCore
import PaperboyServer

/// Paperboy as a tool for AI assistants: a Model Context Protocol server whose tools search
/// the catalog, read papers and the reader's library. The tools are the same over every
/// transport; `serveStdio` and `MCPHTTPServer` only carry them.
public enum PaperboyMCP {
    /// What the server tells a client about itself when it connects.
    static let instructions = """
        Paperboy is a catalog of research papers (arXiv and Hugging Face daily papers). Use search to \
        find papers, get_paper for one paper's full record, similar_papers for related work, \
        daily_papers and trending_papers for what is new, and library for what the reader saved.
        """

    /// A new protocol server offering `toolbox`'s tools; one per connection (the HTTP
    /// transport makes one per session).
    public static func makeServer(_ toolbox: Toolbox) async -> Server {
        let server = Server(name: "paperboy", version: PaperboyVersion.current, title: "Paperboy",
                            instructions: instructions, capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: toolbox.definitions) }
        await server.withMethodHandler(CallTool.self) { call in try await toolbox.call(call.name, call.arguments ?? [:]) }
        return server
    }

    /// Serves `toolbox` on standard input and output until the client closes standard input.
    /// Standard output carries only the protocol: everything else goes to standard error.
    public static func serveStdio(_ toolbox: Toolbox, logger: Logger) async throws {
        let server = await makeServer(toolbox)
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
        await server.stop()
    }
}
