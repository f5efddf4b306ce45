import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PaperboyCore
import PaperboyServer
import Retrieval

/// `paperboy serve`: the web app, the JSON API and the feeds over the data directory's
/// store. The indexes open as for `paperboy search` (loaded, caught up or rebuilt); an empty
/// store serves pages that say how to fill it.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web app, the JSON API and the Atom feeds.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (default: $PAPERBOY_PORT, else 8080).") var port: Int?
    @Option(help: ArgumentHelp("The address readers reach the server at, for absolute links in feeds (default: http://HOST:PORT).",
                               valueName: "url"))
    var publicURL: String?
    @Option(help: ArgumentHelp("Memory for rendered pages and API answers, so popular ones are not ranked again (0 turns it off).",
                               valueName: "MiB"))
    var pageCache = ServerSettings.defaultRenderedPagesBudget >> 20

    func validate() throws {
        guard pageCache >= 0 else { throw ValidationError("--page-cache must be 0 or more MiB, not \(pageCache).") }
        if let port = resolvedPort, !(0...65_535).contains(port) {
            throw ValidationError("The port must be between 0 and 65535, not \(port).")
        }
    }

    private var resolvedPort: Int? {
        port ?? ProcessInfo.processInfo.environment["PAPERBOY_PORT"].flatMap { Int($0) }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let store = try global.openStore()
        let index = try await KeywordIndexFile(dataDirectory: global.dataDirectory, store: store).open()
        let semantic = try await SemanticSetup(global: global, store: store).open()
        let catalog = PaperCatalog(store: store, engine: SearchEngine(store: store, keywordIndex: index, semanticIndex: semantic))
        let settings = ServerSettings(host: host, port: resolvedPort ?? 8080, publicURL: publicURL,
                                      renderedPagesBudget: pageCache << 20)
        let logger = Logger(label: "paperboy.server")
        let papers = index.documentCount
        let app = try buildApplication(catalog: catalog, settings: settings, logger: logger) { port in
            let elapsed = started.duration(to: .now).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            // Written unbuffered: scripts and tests wait for this line to learn the port.
            let line = "Paperboy is serving \(papers.formatted()) papers at http://\(host):\(port) (ready in \(String(format: "%.1f", seconds)) s).\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await app.runService()
    }
}
