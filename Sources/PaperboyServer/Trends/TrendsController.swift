import Foundation
import Hummingbird
import PaperboyCore
import PaperMap

/// The trends pages and their JSON twin: `/trends` (every topic of the map with a
/// sparkline, the rising ones first, and a form that plots a query's weekly matches),
/// `/trends/topic/N` (one topic's chart and newest papers) and `/api/v1/trends`.
///
/// All counting is `TopicTrends` and `PaperCatalog.queryTrend`; this only shapes it. Pages
/// are kept like the feeds (`RenderedPages`, `.feed`): the map can be replaced without the
/// catalog's version moving, so a kept page lives `feedLifetime` at most.
struct TrendsController {
    let catalog: PaperCatalog
    let views: Views
    let pages: RenderedPages
    /// The saved searches of a reader's digest, plotted for them on `/trends`; nil when the
    /// app has no digests.
    var savedSearches: (@Sendable (ReaderID) async throws -> [String])? = nil

    /// Saved searches plotted at most.
    static let savedSearchesShown = 10

    /// Rising topics the page lists above the rest.
    static let risingShown = 5
    /// Newest papers a topic page lists.
    static let topicPapers = 20

    /// The page helpers (headers, kept pages, rendering for a visitor) the other pages use.
    private var page: PageController { PageController(catalog: catalog, views: views, pages: pages) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/trends") { request, context in
            try await page.cachedPage(request, .feed, for: context.visitor) { try await overview(request, for: $0) }
        }
        router.get("/trends/topic/:topic") { request, context in
            let topic = context.parameters.get("topic") ?? ""
            return try await page.cachedPage(request, .feed, for: context.visitor) { try await topicPage(topic, for: $0) }
        }
        let api = router.group("/api/v1")
        api.get("trends") { request, _ in
            try await pages.response(to: request, .feed, headers: APIJSON.headers) { try await apiTrends(Parameters(request)) }
        }
        for method in APIController.refusedMethods {
            api.on(RouterPath("trends"), method: method) { _, _ in APIController.methodNotAllowed() }
        }
    }

    // MARK: Pages

    private func overview(_ request: Request, for visitor: Visitor) async throws -> RenderedBody {
        let query = try Parameters(request).string("q", maxLength: SearchRequest.maxQueryLength)
        var context: [String: Any] = ["navTrends": true]
        let trends = catalog.topicTrends()
        if trends == nil, catalog.fieldMap.current != nil { context["undatedMap"] = true }
        if let trends {
            context["hasMap"] = true
            context["window"] = Self.windowModel(trends.weeks)
            if trends.undated > 0 { context["undated"] = ["papers": trends.undated] }
            let rising = trends.rising(limit: Self.risingShown)
            context["rising"] = rising.map { Self.topicRow($0, weeks: trends.weeks) }
            context["hasRising"] = !rising.isEmpty
            let risingTopics = Set(rising.map(\.topic))
            context["topics"] = trends.topics.filter { !risingTopics.contains($0.topic) }.map { Self.topicRow($0, weeks: trends.weeks) }
            context["prior"] = Self.number(trends.scoring.prior)
            context["baselineWeeks"] = trends.scoring.baselineWeeks
            context["minimumCount"] = trends.scoring.minimumCount
        }
        if let reader = visitor.reader, let savedSearches {
            let rows = try await savedSearchRows(try await savedSearches(reader.id))
            context["savedSearches"] = rows
            context["hasSavedSearches"] = !rows.isEmpty
        }
        if let query {
            context["q"] = query
            if let trend = try await catalog.queryTrend(query) {
                context["queryTrend"] = Self.chartModel(title: "Papers per week matching \(query)", weeks: trend.weeks,
                                                        counts: trend.counts)
                context["queryTotal"] = trend.total
                context["searchURL"] = PageModels.link("/search", [("q", query), ("mode", "keyword")])
            } else {
                context["emptyStore"] = true
            }
        }
        return try page.htmlPage("trends", context, for: visitor)
    }

    /// A row per saved search: its weekly sparkline, linked to its full chart. A search that
    /// no longer parses is left out, as the digest leaves it out.
    private func savedSearchRows(_ queries: [String]) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        for query in queries.prefix(Self.savedSearchesShown) {
            guard let trend = try? await catalog.queryTrend(query) else { continue }
            var row: [String: Any] = [
                "query": query, "url": PageModels.link("/trends", [("q", query)]), "total": trend.total,
                "totalText": Self.papers(trend.total),
                "sparklineSVG": TrendChart.sparkline(trend.counts, partialLast: trend.weeks.latestIsPartial,
                                                     label: "Papers per week matching \(query), last \(trend.weeks.count) weeks"),
            ]
            if let rise = trend.rise { row["rise"] = Self.riseModel(rise) }
            rows.append(row)
        }
        return rows
    }

    private func topicPage(_ text: String, for visitor: Visitor) async throws -> RenderedBody {
        guard let map = catalog.fieldMap.current, let trends = catalog.topicTrends() else {
            throw HTTPError(.notFound, message: "There is no map of the field yet, so no topics: make one with paperboy map.")
        }
        guard let index = Int(text), trends.topics.indices.contains(index) else {
            throw HTTPError(.notFound, message: "The map has no topic \(text.prefix(40)); its topics are numbered 0 to \(trends.topics.count - 1).")
        }
        let topic = trends.topics[index]
        var context: [String: Any] = ["navTrends": true, "label": topic.label, "terms": topic.terms.joined(separator: ", ")]
        context["window"] = Self.windowModel(trends.weeks)
        context["chart"] = Self.chartModel(title: "Papers per week in the topic \(topic.label)", weeks: trends.weeks,
                                           counts: topic.counts)
        context["total"] = topic.total
        context["mapPapers"] = map.topics[index].papers
        if let rise = topic.rise { context["rise"] = Self.riseModel(rise) }
        let papers = try await catalog.newestPapers(inTopic: index, limit: Self.topicPapers)
        let votes = try await catalog.store.upvoteCounts(for: papers.map(\.id))
        context["papers"] = papers.enumerated().map { offset, paper in
            PageModels.card(paper, rank: offset + 1, upvotes: (paper.upvotes ?? 0) + (votes[paper.id] ?? 0))
        }
        context["hasPapers"] = !papers.isEmpty
        return try page.htmlPage("trends-topic", context, for: visitor)
    }

    // MARK: API

    private func apiTrends(_ parameters: Parameters) async throws -> RenderedBody {
        let query = try parameters.string("q", maxLength: SearchRequest.maxQueryLength)
        var response = TrendsResponse()
        if let trends = catalog.topicTrends() {
            let rising = trends.rising()
            let risingTopics = Set(rising.map(\.topic))
            response.topics = TrendsResponse.Topics(
                weeks: TrendsResponse.days(trends.weeks), latestWeekPartial: trends.weeks.latestIsPartial,
                undated: trends.undated,
                topics: (rising + trends.topics.filter { !risingTopics.contains($0.topic) }).map(TrendsResponse.Topic.init))
        }
        if let query, let trend = try await catalog.queryTrend(query) {
            response.query = TrendsResponse.Query(
                query: query, weeks: TrendsResponse.days(trend.weeks), latestWeekPartial: trend.weeks.latestIsPartial,
                counts: trend.counts, total: trend.total, rise: trend.rise.map(RiseRecord.init))
        }
        return try APIJSON.body(response)
    }

    // MARK: Models

    static func windowModel(_ weeks: TrendWeeks) -> [String: Any] {
        ["weeks": weeks.count,
         "first": UTCDay.string(TrendWeeks.date(of: weeks.firstDay)),
         "last": UTCDay.string(TrendWeeks.date(of: weeks.mondays[weeks.count - 1])),
         "partial": weeks.latestIsPartial]
    }

    static func topicRow(_ topic: TopicTrend, weeks: TrendWeeks) -> [String: Any] {
        var row: [String: Any] = [
            "label": topic.label, "url": "/trends/topic/\(topic.topic)", "total": topic.total, "totalText": papers(topic.total),
            "sparklineSVG": TrendChart.sparkline(topic.counts, partialLast: weeks.latestIsPartial,
                                                 label: "Papers per week in \(topic.label), last \(weeks.count) weeks"),
        ]
        if let rise = topic.rise { row["rise"] = riseModel(rise) }
        return row
    }

    /// "1 paper", "8 papers".
    static func papers(_ count: Int) -> String { count == 1 ? "1 paper" : "\(count.formatted()) papers" }

    static func riseModel(_ rise: Rise) -> [String: Any] {
        ["count": rise.count, "countText": papers(rise.count), "usual": number(rise.usual), "score": number(rise.score),
         "isRising": rise.isRising]
    }

    /// The chart as markup plus the same numbers as table rows, for readers who cannot see it.
    static func chartModel(title: String, weeks: TrendWeeks, counts: [Int]) -> [String: Any] {
        let rows = zip(weeks.mondays, counts).enumerated().reversed().map { index, pair -> [String: Any] in
            ["week": UTCDay.string(TrendWeeks.date(of: pair.0)), "count": pair.1,
             "partial": weeks.latestIsPartial && index == counts.count - 1]
        }
        return ["svg": TrendChart(title: title, weeks: weeks, counts: counts).svg(), "rows": rows]
    }

    /// One decimal, as a reader wants to see a mean or a ratio.
    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// `GET /api/v1/trends`.
struct TrendsResponse: Encodable, Sendable {
    struct Topics: Encodable, Sendable {
        /// The Monday of each week, `yyyy-mm-dd`, oldest first.
        var weeks: [String]
        var latestWeekPartial: Bool
        var undated: Int
        /// Rising topics first (highest score first), then the rest in map order.
        var topics: [Topic]
    }

    struct Topic: Encodable, Sendable {
        var topic: Int
        var label: String
        var terms: [String]
        var counts: [Int]
        var shares: [Double]
        var rise: RiseRecord?

        init(_ trend: TopicTrend) {
            topic = trend.topic
            label = trend.label
            terms = trend.terms
            counts = trend.counts
            shares = trend.shares
            rise = trend.rise.map(RiseRecord.init)
        }
    }

    struct Query: Encodable, Sendable {
        var query: String
        var weeks: [String]
        var latestWeekPartial: Bool
        var counts: [Int]
        var total: Int
        var rise: RiseRecord?
    }

    /// Nil when there is no map of the field yet.
    var topics: Topics?
    /// Nil when no `q` was given or the store is empty.
    var query: Query?

    static func days(_ weeks: TrendWeeks) -> [String] {
        weeks.mondays.map { UTCDay.string(TrendWeeks.date(of: $0)) }
    }
}

/// A scored week against its usual level, as the API writes it.
struct RiseRecord: Encodable, Sendable {
    var count: Int
    var usual: Double
    var score: Double
    var rising: Bool

    init(_ rise: Rise) {
        count = rise.count
        usual = rise.usual
        score = rise.score
        rising = rise.isRising
    }
}
