import ArgumentParser
import Foundation
import PaperboyCore

/// `paperboy stats`: what the store holds.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show how many papers the store holds, from which sources and categories.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the statistics as JSON.")
    var json = false

    func run() async throws {
        let stats = try await global.openStore().statistics()
        if json {
            print(JSONOutput.line(stats))
            return
        }
        var lines = ["\(stats.papers.formatted) papers in \(global.storeName)"]
        if let size = stats.sizeOnDisk { lines[0] += String(format: " (%.1f MB)", Double(size) / 1_000_000) }
        if stats.papers > 0 {
            lines.append("published \(Terminal.day(stats.earliestPublished)) to \(Terminal.day(stats.latestPublished))")
            lines.append("sources: " + stats.papersBySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.formatted)" }.joined(separator: ", "))
            if !stats.topCategories.isEmpty {
                lines.append("top categories: " + stats.topCategories.map { "\($0.category) \($0.papers.formatted)" }.joined(separator: ", "))
            }
        }
        print(lines.joined(separator: "\n"))
    }
}
