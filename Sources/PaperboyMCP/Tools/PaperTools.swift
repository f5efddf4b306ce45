import MCP
import PaperboyCore
import PaperboyServer

/// `get_paper`: one paper's whole record.
struct GetPaperTool: PaperboyTool {
    let catalog: PaperCatalog

    var definition: Tool {
        Tool(name: "get_paper", title: "Get a paper",
             description: "Everything the catalog holds about one paper: title, authors, full abstract, categories, dates, DOI, links and upvotes.",
             inputSchema: JSONSchema.object([("id", JSONSchema.paperID)], required: ["id"]),
             annotations: .init(readOnlyHint: true, openWorldHint: false))
    }

    func call(_ arguments: ToolArguments) async throws -> any ToolAnswer {
        let id = try arguments.paperID("id")
        guard let found = try await catalog.paper(id) else { throw ToolFailure.noPaper(id) }
        return PaperAnswer(paper: PaperDetail(found.paper, siteUpvotes: found.siteUpvotes))
    }
}

struct PaperAnswer: ToolAnswer {
    var paper: PaperDetail

    var text: String {
        var lines = ["\(paper.title) [\(paper.id)]"]
        if !paper.authors.isEmpty { lines.append(paper.authors.joined(separator: ", ")) }
        let facts = [paper.published.map { "published \($0)" }, paper.categories.isEmpty ? nil : paper.categories.joined(separator: " "),
                     paper.doi.map { "doi \($0)" }, paper.upvotes > 0 ? "\(paper.upvotes) upvotes" : nil].compactMap { $0 }
        if !facts.isEmpty { lines.append(facts.joined(separator: " · ")) }
        lines += [paper.url, paper.pdfUrl, paper.codeUrl.map { "code: \($0)" }].compactMap { $0 }
        return lines.joined(separator: "\n") + "\n\n" + paper.abstract
    }
}

/// `similar_papers`: the papers most like one paper, as `paperboy similar` finds them.
struct SimilarPapersTool: PaperboyTool {
    let catalog: PaperCatalog

    var definition: Tool {
        Tool(name: "similar_papers", title: "Similar papers",
             description: "The papers most like a given one: nearest by meaning (when the embedding model is installed) fused with papers sharing its distinctive words. The paper itself is left out.",
             inputSchema: JSONSchema.object([
                 ("id", JSONSchema.paperID),
                 ("limit", JSONSchema.integer("How many papers to return.", in: 1...SearchTool.maxLimit, default: 10)),
                 ("filter", JSONSchema.string("Filters the results must pass, in the search syntax, e.g. 'cat:cs.CL since:2024'.")),
             ], required: ["id"]),
             annotations: .init(readOnlyHint: true, openWorldHint: false))
    }

    func call(_ arguments: ToolArguments) async throws -> any ToolAnswer {
        let id = try arguments.paperID("id")
        let limit = try arguments.integer("limit", default: 10, in: 1...SearchTool.maxLimit)
        let filter = try arguments.string("filter", maxLength: SearchRequest.maxQueryLength) ?? ""
        // Parsed here first so that a mistake is reported against `filter`, with its column.
        do {
            _ = try SearchRequest(query: filter).parsed()
        } catch {
            throw ParameterError("filter", error.message, column: error.column)
        }
        guard let found = try await catalog.paper(id) else { throw ToolFailure.noPaper(id) }
        let hits = try await catalog.engine.similar(to: found.paper, limit: limit, filters: filter)
        return SimilarAnswer(id: found.paper.id.rawValue, title: found.paper.title,
                             papers: hits.map { PaperSummary($0.paper, score: Double($0.score)) })
    }
}

struct SimilarAnswer: ToolAnswer {
    /// The paper the others are like.
    var id: String
    var title: String
    var papers: [PaperSummary]

    var text: String {
        PaperListText.render("Papers like \(title) [\(id)]:", papers, empty: "No other paper is like \(id) yet.")
    }
}

extension ToolFailure {
    static func noPaper(_ id: PaperID) -> ToolFailure {
        ToolFailure("No paper with id \(id.rawValue) is in the catalog.")
    }
}
