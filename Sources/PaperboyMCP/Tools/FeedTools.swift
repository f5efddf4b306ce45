import MCP
import PaperboyServer

/// `daily_papers`: one day's papers, hottest first, as the web app's daily page ranks them.
struct DailyPapersTool: PaperboyTool {
    let catalog: PaperCatalog

    static let maxLimit = 100

    var definition: Tool {
        Tool(name: "daily_papers", title: "Papers of a day",
             description: "The papers published on one day (UTC), hottest first as the daily feed ranks them, with the nearest days before and after that have papers.",
             inputSchema: JSONSchema.object([
                 ("date", JSONSchema.day("The day. Default: the latest day with papers.")),
                 ("category", JSONSchema.category("Only papers in this category.")),
                 ("limit", JSONSchema.integer("How many papers to return.", in: 1...Self.maxLimit, default: 25)),
             ]),
             annotations: .init(readOnlyHint: true, openWorldHint: false))
    }

    func call(_ arguments: ToolArguments) async throws -> any ToolAnswer {
        let category = try arguments.category("category")
        let limit = try arguments.integer("limit", default: 25, in: 1...Self.maxLimit)
        let window: DayWindow?
        if let day = try arguments.day("date") {
            window = DayWindow(containing: day, span: .day)
        } else {
            window = try await catalog.latestWindow(span: .day, category: category)
        }
        guard let window else { return DailyAnswer(category: category, total: 0, papers: []) }
        let feed = try await catalog.daily(window, category: category)
        return DailyAnswer(date: window.isoDay, category: category, previous: feed.previous?.isoDay, next: feed.next?.isoDay,
                           total: feed.papers.count,
                           papers: feed.papers.prefix(limit).map { PaperSummary($0.paper, score: $0.score) })
    }
}

struct DailyAnswer: ToolAnswer {
    /// `yyyy-MM-dd`; nil when the catalog has no paper at all.
    var date: String?
    var category: String?
    /// The nearest earlier and later days with papers.
    var previous: String?
    var next: String?
    /// Papers of the day, of which `papers` are the first.
    var total: Int
    var papers: [PaperSummary]

    var text: String {
        guard let date else { return "The catalog has no papers yet." }
        let scope = category.map { " in \($0)" } ?? ""
        var text = PaperListText.render("Papers of \(date)\(scope), hottest first (\(papers.count) of \(total)):", papers,
                                        empty: "No papers on \(date)\(scope).")
        let around = [previous.map { "previous day with papers: \($0)" }, next.map { "next: \($0)" }].compactMap { $0 }
        if !around.isEmpty { text += "\n\n" + around.joined(separator: "; ") + "." }
        return text
    }
}

/// `trending_papers`: the trending list of the web app (the last two weeks, hottest first).
struct TrendingPapersTool: PaperboyTool {
    let catalog: PaperCatalog

    var definition: Tool {
        Tool(name: "trending_papers", title: "Trending papers",
             description: "Papers of the last \(PaperCatalog.trendingDays) days before the newest paper, hottest first: upvotes weighed against age.",
             inputSchema: JSONSchema.object([
                 ("category", JSONSchema.category("Only papers in this category.")),
                 ("limit", JSONSchema.integer("How many papers to return.", in: 1...SearchTool.maxLimit, default: 10)),
             ]),
             annotations: .init(readOnlyHint: true, openWorldHint: false))
    }

    func call(_ arguments: ToolArguments) async throws -> any ToolAnswer {
        let category = try arguments.category("category")
        let limit = try arguments.integer("limit", default: 10, in: 1...SearchTool.maxLimit)
        let ranked = try await catalog.trending(category: category)
        return TrendingAnswer(category: category, total: ranked.count,
                              papers: ranked.prefix(limit).map { PaperSummary($0.paper, score: $0.score) })
    }
}

struct TrendingAnswer: ToolAnswer {
    var category: String?
    var total: Int
    var papers: [PaperSummary]

    var text: String {
        let scope = category.map { " in \($0)" } ?? ""
        return PaperListText.render("Trending papers\(scope):", papers, empty: "No papers\(scope) in the last \(PaperCatalog.trendingDays) days.")
    }
}
