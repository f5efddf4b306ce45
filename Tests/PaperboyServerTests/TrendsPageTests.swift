import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyCore
import PaperMap
@testable import PaperboyServer
import Retrieval
import Testing

/// The trends pages, their JSON twin and the digest's "Rising this week", over the fixture
/// store with a map of the field built by hand: topic 1 ("Diffusion & <video>") jumps from
/// nothing to 8 papers in the week of 1 June 2026, topic 0 stays at 2 a week. The fixture's
/// clock says Saturday 13 June, so the week of 8 June is still running.
struct TrendsPageTests {
    static let risingLabel = "Diffusion & <video>"

    /// The fixture papers (newest first) placed on a map, as described above.
    static func map(_ papers: [Paper]) -> PaperMap {
        let day = TopicTrendsTests.day
        var placed: [(topic: UInt16, day: Int32)] = Array(repeating: (1, day("2026-06-03")), count: 8)
        for week in 1...8 {
            placed += Array(repeating: (0, day("2026-06-02") - Int32(7 * week)), count: 2)
        }
        placed += [(0, day("2026-06-04")), (0, day("2026-06-05")), (0, day("2026-06-12")), (0, .min)]
        precondition(papers.count >= placed.count, "the fixture has enough papers")
        let topics = [
            MapTopic(label: "steady state", terms: ["steady", "state"], center: MapPoint(x: 0.2, y: 0.2), papers: 21),
            MapTopic(label: risingLabel, terms: ["diffusion", "video"], center: MapPoint(x: 0.7, y: 0.7), papers: 8),
        ]
        return PaperMap(ids: papers.prefix(placed.count).map(\.id), points: placed.map { _ in MapPoint(x: 0.5, y: 0.5) },
                        topicOfPaper: placed.map(\.topic), publishedDay: placed.map(\.day), topics: topics,
                        model: "test", computedAt: Date(timeIntervalSince1970: 1_781_300_000))
    }

    /// The shared fixture's store and engine in a catalog with `map` (none when nil).
    static func catalog(map: Bool) async throws -> (PaperCatalog, [Paper]) {
        let fixture = try await ServerFixture.shared.value
        let papers = try await fixture.store.papers(matching: PaperQuery(limit: 40))
        let catalog = PaperCatalog(store: fixture.store, engine: fixture.catalog.engine,
                                   fieldMap: FieldMap(map ? Self.map(papers) : nil),
                                   clock: { Date(timeIntervalSince1970: 1_781_308_800) })  // 2026-06-13
        return (catalog, papers)
    }

    static func test(_ catalog: PaperCatalog, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = try buildRouter(catalog: catalog, settings: ServerSettings(), accounts: nil)
        try await Application(router: router).test(.router, body)
    }

    // MARK: Pages

    @Test func theTrendsPageListsRisingTopicsFirstWithSparklines() async throws {
        let (catalog, _) = try await Self.catalog(map: true)
        try await Self.test(catalog) { client in
            try await client.execute(uri: "/trends", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains(#"<a href="/trends" aria-current="page">Trends</a>"#))
                let rising = try #require(html.range(of: "Rising this week"))
                let all = try #require(html.range(of: "All topics"))
                let risingLink = try #require(html.range(of: "<a href=\"/trends/topic/1\">\(htmlEscape(Self.risingLabel))</a>"))
                let steadyLink = try #require(html.range(of: "<a href=\"/trends/topic/0\">steady state</a>"))
                #expect(rising.lowerBound < risingLink.lowerBound && risingLink.lowerBound < all.lowerBound)
                #expect(all.lowerBound < steadyLink.lowerBound, "steady state is not rising")
                #expect(html.contains("8 papers, usually 0.0"))
                #expect(html.components(separatedBy: "class=\"sparkline\"").count - 1 == 2)
                #expect(html.contains("Papers without a date, not counted: 1."))
                #expect(!html.contains("paperboy map"))
            }
        }
    }

    @Test func withoutAMapThePageSaysHowToMakeOneAndStillPlotsQueries() async throws {
        let (catalog, _) = try await Self.catalog(map: false)
        try await Self.test(catalog) { client in
            try await client.execute(uri: "/trends", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<code>paperboy map</code>"))
                #expect(!response.text.contains("Rising this week"))
                #expect(response.text.contains(#"<form class="filters" action="/trends" method="get">"#))
            }
            try await client.execute(uri: "/trends/topic/1", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/trends", method: .get) { response in
                #expect(response.status == .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(json?["topics"] == nil)
            }
        }
    }

    @Test func aMapWithoutDatesIsSaidSoRatherThanMissing() async throws {
        let (catalog, papers) = try await Self.catalog(map: false)
        var map = Self.map(papers)
        map.publishedDay = map.publishedDay.map { _ in .min }
        catalog.fieldMap.replace(map)
        try await Self.test(catalog) { client in
            try await client.execute(uri: "/trends", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("None of the papers on the map of the field has a publication date"))
                #expect(!response.text.contains("<code>paperboy map</code>"))
            }
        }
    }

    @Test func aTopicPageShowsItsChartAndNewestPapers() async throws {
        let (catalog, papers) = try await Self.catalog(map: true)
        try await Self.test(catalog) { client in
            try await client.execute(uri: "/trends/topic/1", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("<h1>\(htmlEscape(Self.risingLabel))</h1>"))
                #expect(html.components(separatedBy: "class=\"trend-bar").count - 1 == TrendWeeks.defaultCount)
                #expect(html.components(separatedBy: "trend-bar-partial").count - 1 == 1)
                // The week of 1 June holds the topic's 8 papers, the running week none.
                #expect(html.contains(#"<time datetime="2026-06-01">2026-06-01</time></td><td class="trend-count">8</td>"#))
                #expect(html.contains(#"<time datetime="2026-06-08">2026-06-08</time> (still running)</td><td class="trend-count">0</td>"#))
                for paper in papers.prefix(8) {
                    #expect(html.contains("href=\"\(PageModels.paperPath(paper.id))\""), "\(paper.id)")
                }
                #expect(!html.contains("href=\"\(PageModels.paperPath(papers[8].id))\""), "a paper of another topic")
            }
            for missing in ["2", "-1", "x"] {
                try await client.execute(uri: "/trends/topic/\(missing)", method: .get) { response in
                    #expect(response.status == .notFound, "\(missing)")
                }
            }
        }
    }

    // MARK: Query trends

    /// Papers per week of `weeks` first published on or after `since`, counted straight from
    /// the store.
    static func expectedCounts(_ catalog: PaperCatalog, weeks: TrendWeeks, since: String) async throws -> [Int] {
        let first = TopicTrendsTests.day(since)
        var counts = [Int](repeating: 0, count: weeks.count)
        for paper in try await catalog.store.papers(matching: PaperQuery(limit: 100_000)) {
            guard let published = paper.published else { continue }
            let day = TrendWeeks.day(of: published)
            if day >= first, let week = weeks.index(of: day) { counts[week] += 1 }
        }
        return counts
    }

    @Test func queryTrendsCountThePapersInTheStore() async throws {
        let (catalog, _) = try await Self.catalog(map: false)
        let newest = try #require(try await catalog.store.papers(matching: PaperQuery(limit: 1)).first?.published)
        let weeks = TrendWeeks(newestDay: TrendWeeks.day(of: newest), today: TopicTrendsTests.day("2026-06-13"))
        // A Wednesday: the filter narrows the weeks to days from then on, which the counts must follow.
        let since = "2026-06-03"
        let expected = try await Self.expectedCounts(catalog, weeks: weeks, since: since)
        #expect(expected.filter { $0 > 0 }.count >= 2, "the fixture has papers in several weeks: \(expected)")
        let everything = try await Self.expectedCounts(catalog, weeks: weeks, since: "2000-01-01")
        #expect(expected.reduce(0, +) < everything.reduce(0, +), "the filter leaves some papers of the window out: \(everything)")

        let trend = try #require(try await catalog.queryTrend("since:\(since)"))
        #expect(trend.weeks == weeks)
        #expect(trend.counts == expected)

        // A word: the weekly counts add up to what a keyword search over the window finds.
        let first = TrendWeeks.date(of: weeks.firstDay), last = TrendWeeks.date(of: weeks.endDay - 1)
        let found = try await catalog.search(SearchRequest(query: "model", mode: .keyword, since: first, until: last, pageSize: 100))
        #expect(!found.hasMore && !found.hits.isEmpty)
        #expect(try await catalog.queryTrend("model")?.total == found.hits.count)

        try await Self.test(catalog) { client in
            try await client.execute(uri: "/api/v1/trends?q=since:\(since)", method: .get) { response in
                #expect(response.status == .ok)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let query = try #require(json["query"] as? [String: Any])
                #expect(query["counts"] as? [Int] == expected)
                #expect((query["weeks"] as? [String])?.last == "2026-06-08")
                #expect(query["latest_week_partial"] as? Bool == true)
            }
            try await client.execute(uri: "/trends?q=since%3A\(since)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<span class=\"query-total\">\(expected.reduce(0, +))</span>"))
                #expect(response.text.contains("class=\"trend-chart\""))
            }
            try await client.execute(uri: "/trends?q=%22unclosed", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func theAPIListsRisingTopicsFirst() async throws {
        let (catalog, _) = try await Self.catalog(map: true)
        try await Self.test(catalog) { client in
            try await client.execute(uri: "/api/v1/trends", method: .get) { response in
                let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                let topics = try #require(json["topics"] as? [String: Any])
                #expect(topics["undated"] as? Int == 1)
                let list = try #require(topics["topics"] as? [[String: Any]])
                #expect(list.map { $0["label"] as? String } == [Self.risingLabel, "steady state"])
                #expect((list[0]["rise"] as? [String: Any])?["rising"] as? Bool == true)
                #expect((list[0]["counts"] as? [Int])?.suffix(3) == [0, 8, 0])
            }
        }
    }
}
