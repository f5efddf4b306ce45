import ArgumentParser
import Foundation
import PaperboyCore
import Retrieval
import SearchIndex

/// `paperboy search QUERY`: ranked papers for a query in Paperboy's query language.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the papers.",
        discussion: """
            Words are searched in titles (counted double), abstracts and author names. \
            "exact phrase", +required, -excluded, AND/OR/NOT, (groups), title:, abstract:, \
            author:, cat:cs.LG (or an archive, cat:cs), since:YYYY-MM-DD, until:YYYY-MM-DD, \
            and prefix* are understood. With the embedding model installed (`paperboy model \
            install`, `paperboy embed`), papers are also found by meaning.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The query, e.g. 'author:Karpathy cat:cs.LG since:2024-01-01' or '\"speculative decoding\" -survey'.")
    var query: [String]

    @Option(help: ArgumentHelp("Show at most this many papers.", valueName: "n"))
    var limit: Int = 10

    @Option(help: ArgumentHelp("hybrid (keywords and meaning fused; the default with a model installed), keyword, or semantic. Filters and operators apply in every mode.", valueName: "mode"))
    var mode: SearchMode?

    @Flag(help: "Show how each term contributed to each paper's score.")
    var explain = false

    @Flag(help: "Print the hits as a JSON array: each paper's full record with its score.")
    var json = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        let store = try await global.openStore()
        let index = try await KeywordIndexFile(dataDirectory: global.dataDirectory, store: store).open()
        let semantic = mode == .keyword ? nil : try await SemanticSetup(global: global, store: store).open()
        let engine = SearchEngine(store: store, keywordIndex: index, semanticIndex: semantic)
        let text = query.joined(separator: " ")
        let hits: [SearchHit]
        do {
            hits = try await engine.search(text, mode: mode, limit: limit, explain: explain)
        } catch let error as QuerySyntaxError {
            Terminal.printError(error.description)
            throw ExitCode(2)
        } catch let error as SearchUnavailable {
            Terminal.printError(error.description)
            throw ExitCode(1)
        }
        if json {
            print(JSONOutput.line(hits.map(HitRecord.init)))
            return
        }
        if hits.isEmpty {
            print(index.documentCount == 0
                  ? "No papers yet: import some with `paperboy import FILE`."
                  : "No papers match \(text).")
            return
        }
        Self.printHits(hits)
    }

    /// Numbered hits with their ids, dates, titles and snippets (and explanations).
    static func printHits(_ hits: [SearchHit]) {
        let marks = Terminal.isInteractive ? ("\u{1B}[1m", "\u{1B}[0m") : ("**", "**")
        for (rank, hit) in hits.enumerated() {
            print("\(String(rank + 1).leftPadded(3)). \(hit.paper.id.rawValue)  \(Terminal.day(hit.paper.published))  \(hit.paper.title)")
            print(Terminal.wrap(hit.snippet.marked(open: marks.0, close: marks.1), indent: "     "))
            if let parts = hit.explanation {
                print("     score \(String(format: "%.4f", hit.score)) =")
                for part in parts {
                    print("       \(String(format: "%8.4f", part.score))  \(part.field.rawValue):\(part.term)  tf \(part.frequency), length \(part.fieldLength), idf \(String(format: "%.3f", part.idf)), boost \(part.boost.formatted())")
                }
            }
        }
    }
}

extension SearchMode: ExpressibleByArgument {}

/// A hit for `--json`: the paper's own record with its score beside its fields.
struct HitRecord: Encodable {
    let hit: SearchHit

    enum Key: String, CodingKey { case score, explanation }

    func encode(to encoder: any Encoder) throws {
        try hit.paper.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(hit.score, forKey: .score)
        if let parts = hit.explanation {
            try container.encode(parts.map(ExplainedTerm.init), forKey: .explanation)
        }
    }
}

/// One term's share of a score, for `--json --explain`.
private struct ExplainedTerm: Encodable {
    var field: String, term: String, frequency: UInt32, fieldLength: UInt32, idf: Float, boost: Float, score: Float

    init(_ part: TermContribution) {
        field = part.field.rawValue
        term = part.term
        frequency = part.frequency
        fieldLength = part.fieldLength
        idf = part.idf
        boost = part.boost
        score = part.score
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
