import ArgumentParser
import PaperboyCore

/// The `paperboy` command: import papers, look at them, and serve them.
@main
struct Paperboy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paperboy",
        abstract: "A self-hosted research-paper discovery service.",
        discussion: """
            Papers live in one SQLite file in the data directory (--data, PAPERBOY_DATA, \
            default $XDG_DATA_HOME/paperboy or ~/.local/share/paperboy).
            """,
        version: PaperboyVersion.current,
        subcommands: [ImportCommand.self, StatsCommand.self, ListCommand.self, ShowCommand.self, SearchCommand.self,
                      IndexCommand.self, ServeCommand.self, BenchCommand.self, ModelCommand.self, EmbedCommand.self,
                      SimilarCommand.self, HarvestCommand.self, OutboxCommand.self, MapCommand.self, MCPCommand.self])
}
