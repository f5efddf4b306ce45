import ArgumentParser
import Foundation
import Logging
import PaperboyCore
import PaperboyMCP
import PaperboyServer
import Retrieval

/// `paperboy mcp`: the catalog as tools for AI assistants, over the Model Context Protocol.
/// The indexes open as for `paperboy search`; standard output belongs to the protocol (over
/// stdio) or to the one ready line (over HTTP), everything else goes to standard error.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the catalog to AI assistants over the Model Context Protocol.",
        discussion: """
            Over standard input and output by default, for an assistant that starts the command \
            itself; with --http, over streamable HTTP at http://HOST:PORT/mcp. Tools: search, \
            get_paper, similar_papers, daily_papers, trending_papers and library (the saved papers \
            of the reader named by --reader). See docs/MCP.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Serve over streamable HTTP instead of standard input and output.")
    var http = false
    @Option(help: "The address to listen on with --http (default 127.0.0.1).") var host: String?
    @Option(help: "The port to listen on with --http; 0 picks a free one (default 8765).") var port: Int?
    @Option(help: ArgumentHelp("The reader (by account email) whose library the library tool shows.", valueName: "email"))
    var reader: String?

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if !http, host != nil || port != nil { throw ValidationError("--host and --port apply only with --http.") }
    }

    func run() async throws {
        let store = try await global.openStore()
        let shelf = try await readerShelf(store)
        let index = try await KeywordIndexFile(dataDirectory: global.dataDirectory, store: store).open()
        let semantic = try await SemanticSetup(global: global, store: store).open()
        let catalog = PaperCatalog(store: store, engine: SearchEngine(store: store, keywordIndex: index, semanticIndex: semantic))
        let toolbox = Toolbox(catalog: catalog, shelf: shelf)
        let logger = Logger(label: "paperboy.mcp")
        guard http else {
            try await PaperboyMCP.serveStdio(toolbox, logger: logger)
            return
        }
        let host = host ?? "127.0.0.1"
        // A long-running server keeps its indexes in step with papers stored meanwhile, as `serve` does.
        let server = MCPHTTPServer(toolbox: toolbox, host: host, port: port ?? 8765, logger: logger,
                                   services: [IndexRefresher(catalog: catalog, logger: logger)])
        let shown = host.contains(":") ? "[\(host)]" : host
        try await server.run { port in
            // Written unbuffered: scripts and tests wait for this line to learn the port.
            FileHandle.standardOutput.write(Data("Paperboy MCP is listening at http://\(shown):\(port)\(MCPHTTPServer.endpoint)\n".utf8))
        }
    }

    /// The reader named by `--reader`, checked now so that a typo fails at start, not at the
    /// first library call.
    private func readerShelf(_ store: any PaperboyStore) async throws -> ReaderShelf? {
        guard let email = reader else { return nil }
        guard let found = try await store.reader(email: email) else {
            Terminal.printError("no reader with email \(email) in \(global.storeName); readers sign up in the web app (`paperboy serve`)")
            throw ExitCode(1)
        }
        return ReaderShelf(email: found.email) { try await store.library(of: found.id) }
    }
}
