import ArgumentParser
import Foundation
import PaperboyCore

/// `paperboy list`: the newest papers, filtered.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List papers, newest published first.",
        discussion: "Each line shows the publication day, the paper id, its primary category and its title.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only papers published on or after this day (YYYY-MM-DD, UTC).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only papers in this arXiv category, primary or cross-listed (cs.LG); an archive (cs) matches all its categories.", valueName: "cat"))
    var category: String?

    @Option(help: ArgumentHelp("Show at most this many papers.", valueName: "n"))
    var limit: Int = 20

    @Flag(help: "Print the papers as a JSON array.")
    var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if let since, Self.parseDay(since) == nil {
            throw ValidationError("--since expects a day as YYYY-MM-DD, got '\(since)'.")
        }
    }

    func run() async throws {
        let query = PaperQuery(since: since.flatMap(Self.parseDay), category: category, limit: limit)
        let papers = try await global.openStore().papers(matching: query)
        if json {
            print(JSONOutput.line(papers))
            return
        }
        if papers.isEmpty {
            print("No papers match.")
            return
        }
        for paper in papers {
            print("\(Terminal.day(paper.published))  \(paper.id.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)) \((paper.primaryCategory ?? "—").padding(toLength: 10, withPad: " ", startingAt: 0)) \(paper.title)")
        }
    }

    /// Midnight UTC of a `YYYY-MM-DD` day.
    static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = Calendar.utc.date(from: components),
              Calendar.utc.component(.day, from: date) == parts[2] else { return nil }
        return date
    }
}
