import ArgumentParser
import Foundation
import PaperboyCore

/// `paperboy show ID`: one paper in full.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one paper: its metadata and abstract, as JSON, or as a BibTeX entry.",
        discussion: "ID is an arXiv id (2401.01234, hep-th/9901001, with or without version), doi:…, or title:…")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The paper's id.", valueName: "id"))
    var id: String

    @Flag(help: "Print the paper as JSON.")
    var json = false

    @Flag(help: "Print a BibTeX entry in arXiv's style.")
    var bibtex = false

    func validate() throws {
        if json && bibtex { throw ValidationError("Choose one of --json and --bibtex.") }
        if PaperID(id) == nil {
            throw ValidationError("'\(id)' is not a paper id: expected an arXiv id such as 2401.01234 or hep-th/9901001, doi:10.…, or title:<16 hex digits>.")
        }
    }

    func run() async throws {
        guard let paperID = PaperID(id), let paper = try await global.openStore().paper(id: paperID) else {
            Terminal.printError("no paper with id \(id) in \(global.storeName)")
            throw ExitCode(1)
        }
        if json {
            print(JSONOutput.line(paper))
        } else if bibtex {
            print(BibTeX.entry(for: paper), terminator: "")
        } else {
            print(Self.describe(paper))
        }
    }

    static func describe(_ paper: Paper) -> String {
        var lines = [paper.title, ""]
        if !paper.authors.isEmpty { lines.append(paper.authors.map(\.name).joined(separator: ", ")) }
        var facts = ["id \(paper.id.rawValue)" + (paper.version.map { " (v\($0))" } ?? "")]
        if !paper.categories.isEmpty { facts.append(paper.categories.joined(separator: " ")) }
        if paper.published != nil { facts.append("published \(Terminal.day(paper.published))") }
        if paper.updated != nil, paper.updated != paper.published { facts.append("updated \(Terminal.day(paper.updated))") }
        if let upvotes = paper.upvotes { facts.append("\(upvotes) upvotes") }
        lines.append(facts.joined(separator: " · "))
        if let doi = paper.doi { lines.append("DOI \(doi)") }
        if let journal = paper.journalRef { lines.append("Journal: \(journal)") }
        if let comments = paper.comments { lines.append("Comments: \(comments)") }
        for (name, link) in [("Abstract", paper.abstractURL), ("PDF", paper.pdfURL), ("Code", paper.links.code)] {
            if let link { lines.append("\(name): \(link)") }
        }
        lines.append("Sources: " + paper.sources.sorted().map(\.rawValue).joined(separator: ", "))
        if !paper.abstract.isEmpty { lines += ["", Terminal.wrap(paper.abstract)] }
        return lines.joined(separator: "\n")
    }
}
