import ArgumentParser
import Foundation
import PaperboyCore
import Retrieval
import SearchIndex

/// `paperboy similar ID`: the papers most like one paper.
struct SimilarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "Show the papers most like a given one.",
        discussion: """
            Nearest papers by meaning (with the embedding model installed) fused with papers \
            that share its distinctive words; the paper itself and other records of it are left \
            out. ID is an arXiv id, doi:… or title:…
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The paper's id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("Filters the results must pass, e.g. 'cat:cs.CL since:2024'.", valueName: "query"))
    var filter: String = ""

    @Option(help: ArgumentHelp("Show at most this many papers.", valueName: "n"))
    var limit: Int = 10

    @Flag(help: "Print the papers as a JSON array, each with its score.")
    var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if PaperID(id) == nil {
            throw ValidationError("'\(id)' is not a paper id: expected an arXiv id such as 2401.01234 or hep-th/9901001, doi:10.…, or title:<16 hex digits>.")
        }
    }

    func run() async throws {
        let store = try await global.openStore()
        guard let paperID = PaperID(id), let paper = try await store.paper(id: paperID) else {
            Terminal.printError("no paper with id \(id) in \(global.storeName)")
            throw ExitCode(1)
        }
        let index = try await KeywordIndexFile(dataDirectory: global.dataDirectory, store: store).open()
        let semantic = try await SemanticSetup(global: global, store: store).open()
        let engine = SearchEngine(store: store, keywordIndex: index, semanticIndex: semantic)
        let hits: [SearchHit]
        do {
            hits = try await engine.similar(to: paper, limit: limit, filters: filter)
        } catch let error as QuerySyntaxError {
            Terminal.printError(error.description)
            throw ExitCode(2)
        }
        if json {
            print(JSONOutput.line(hits.map(HitRecord.init)))
        } else if hits.isEmpty {
            print("No other paper is like \(paper.id.rawValue) yet.")
        } else {
            print("Papers like \(paper.id.rawValue) \(paper.title):")
            SearchCommand.printHits(hits)
        }
    }
}
