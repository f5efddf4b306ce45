import MCP
import PaperboyServer
import Retrieval

/// `search`: the web app's search (`PaperCatalog.search`), same query syntax, same ranking.
struct SearchTool: PaperboyTool {
    let catalog: PaperCatalog

    static let maxLimit = 50
    /// How deep an assistant may page; the page is ranked from the top each time.
    static let maxOffset = 500

    var definition: Tool {
        Tool(name: "search", title: "Search papers",
             description: """
                 Search the paper catalog. The query takes the web app's syntax: words, "quoted phrases", \
                 -excluded words, field:value (title:, author:, abstract:) and filters such as cat:cs.CL, \
                 since:2024, until:2024-06-30.
                 """,
             inputSchema: JSONSchema.object([
                 ("query", JSONSchema.string("What to look for, e.g. 'speculative decoding cat:cs.CL since:2024'.")),
                 ("mode", JSONSchema.string("How to rank: keyword (BM25), semantic (by meaning, needs the embedding model) or hybrid (both fused). Default: hybrid when the model is installed, else keyword.",
                                            oneOf: SearchMode.allCases.map(\.rawValue))),
                 ("category", JSONSchema.category("Only papers in this category.")),
                 ("since", JSONSchema.day("Only papers published on or after this day.")),
                 ("until", JSONSchema.day("Only papers published on or before this day.")),
                 ("limit", JSONSchema.integer("How many papers to return.", in: 1...Self.maxLimit, default: 10)),
                 ("offset", JSONSchema.integer("How many of the best matches to skip, for the next page.", in: 0...Self.maxOffset, default: 0)),
             ], required: ["query"]),
             annotations: .init(readOnlyHint: true, openWorldHint: false))
    }

    func call(_ arguments: ToolArguments) async throws -> any ToolAnswer {
        let query = try arguments.required("query", maxLength: SearchRequest.maxQueryLength)
        let limit = try arguments.integer("limit", default: 10, in: 1...Self.maxLimit)
        let offset = try arguments.integer("offset", default: 0, in: 0...Self.maxOffset)
        let since = try arguments.day("since"), until = try arguments.day("until")
        if let since, let until, since > until { throw ParameterError("until", "is before since") }
        // One page from the top holding the offset and the limit: the catalog pages by whole pages.
        let request = SearchRequest(query: query, mode: try arguments.choice("mode", as: SearchMode.self),
                                    since: since, until: until, category: try arguments.category("category"),
                                    page: 1, pageSize: offset + limit)
        let results: SearchResults
        do {
            results = try await catalog.search(request)
        } catch let error as ParameterError where error.parameter == "q" {
            throw ParameterError("query", error.message, column: error.column)
        }
        return SearchAnswer(query: query, mode: results.mode.rawValue, offset: offset, hasMore: results.hasMore,
                            note: results.keywordsOnly ? "No embedding model is installed, so keywords alone ranked these." : nil,
                            papers: results.hits.dropFirst(offset).map { PaperSummary($0.paper, score: Double($0.score)) })
    }
}

struct SearchAnswer: ToolAnswer {
    var query: String
    /// The mode that ranked the papers (the default resolved).
    var mode: String
    var offset: Int
    /// Whether more matches follow these.
    var hasMore: Bool
    var note: String?
    var papers: [PaperSummary]

    var text: String {
        let body = PaperListText.render("Papers matching \"\(query)\" (\(mode) search):", papers, startingAt: offset + 1,
                                        empty: "No paper matches \"\(query)\".")
        return [note, body, hasMore ? "More matches follow: call again with offset \(offset + papers.count)." : nil]
            .compactMap { $0 }.joined(separator: "\n\n")
    }
}
