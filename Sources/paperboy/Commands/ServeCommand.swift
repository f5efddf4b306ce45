import ArgumentParser
import Foundation
import PaperboyCore

/// `paperboy serve`: the web app. Until the server lands it says so and reports what the
/// store holds, so the set-up command already proves the store opens.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web app and the JSON API (not built yet: checks the store and exits).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let stats = try await global.openStore().statistics()
        print("""
            The web server is not built yet. The store at \(global.storeFile.path) holds \(stats.papers.formatted) papers; \
            use `paperboy import`, `paperboy list` and `paperboy show` meanwhile.
            """)
    }
}
