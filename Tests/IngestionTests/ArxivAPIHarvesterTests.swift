import AsyncHTTPClient
import Foundation
import Logging
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

@testable import Ingestion

/// Real recorded arXiv API answers (two pages of `all:testing` at 10 a page, id lookups, the
/// HTTP 400 error feed), replayed where the API serves them into a SQLite file store, with
/// faults on the way.
@Suite struct ArxivAPIHarvesterTests {
    static let folder = "fixtures/arxiv-api/xml/"
    static let testing = ArxivAPIRequest.query("all:testing")
    /// Short, so the suite stays fast, yet far longer than storing one page of 10 takes.
    static let interval: Duration = .milliseconds(250)
    static let retry = RetryPolicy(attempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(40), maxRetryAfter: .seconds(5))

    /// Route names, for faults.
    static let page1 = "start=0", page2 = "start=10", abc = "ids=abc"

    /// A SQLite file store, a replay server with the recorded answers (and `faults` on one
    /// route) and a harvester of them.
    struct Harness {
        let store: PaperDatabase
        let server: ReplayServer
        let harvester: ArxivAPIHarvester

        static func run(faults: [ReplayFault] = [], on route: String = page2, pageSize: Int = 10,
                        _ body: (Harness) async throws -> Void) async throws {
            let query = ["search_query": "all:testing", "max_results": "10"]
            let routes: [ReplayRoute] = [
                try recorded(page1, file: "recorded_q_testing_s0_m10_bc5a6c384fe9.xml", asking: query.merging(["start": "0"]) { $1 }),
                try recorded(page2, file: "recorded_q_testing_s10_m10_34e56e15aaac.xml", asking: query.merging(["start": "10"]) { $1 }),
                try ids(["0808.05394", "1707.08567"], file: "recorded_id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml"),
                try ids(["0000.0000"], file: "recorded_id_0000.0000_s0_m100_8b51d9633a68.xml"),
                try ids(["2104.12255v1"], file: "recorded_id_2104.12255v1_s0_m100_6ae69987ffe1.xml"),
                try ids(["astro-ph/0601001"], file: "recorded_id_astro-ph_0601001_s0_m100_3150dca9dc76.xml"),
                try ids(["abc"], file: "recorded_id_abc_s0_m100_b79c8dcf6bc3.xml"),
            ]
            let server = try await ReplayServer.start(routes: routes)
            server.inject(faults, into: route)
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: SourceClient.httpConfiguration)
            let directory = try TemporaryDirectory()
            defer {
                directory.remove()
                Task { try? await http.shutdown(); try? await server.shutdown() }
            }
            let store = try PaperDatabase.file(at: directory.file("papers.sqlite"))
            let client = SourceClient(http: http, contact: "harvest@example.org", retry: ArxivAPIHarvesterTests.retry,
                                      timeout: .seconds(60), logger: Logger(label: "test"))
            try await body(Harness(store: store, server: server,
                                   harvester: ArxivAPIHarvester(client: client, store: store, baseURL: server.baseURL + "/api/query",
                                                                interval: ArxivAPIHarvesterTests.interval, pageSize: pageSize)))
        }

        /// Answers the requests to `/api/query` that ask for `expected` (among other parameters)
        /// with a recorded body.
        static func recorded(_ name: String, file: String, asking expected: [String: String]) throws -> ReplayRoute {
            let body = try Data(contentsOf: Fixtures.shared(folder + file))
            return ReplayRoute(name: name, body: body, contentType: "application/atom+xml") { target in
                let asked = parameters(target)
                return target.hasPrefix("/api/query?") && expected.allSatisfy { asked[$0.key] == $0.value }
            }
        }

        /// Answers the request for exactly `ids`, as the harvester sends them.
        static func ids(_ ids: [String], file: String) throws -> ReplayRoute {
            let list = ids.joined(separator: ",")
            return try recorded("ids=" + list, file: file, asking: ["id_list": list, "start": "0", "max_results": String(ids.count)])
        }

        var storedPapers: Int { get async throws { try await store.statistics().papers } }
        func cursor(_ request: ArxivAPIRequest) async throws -> HarvestCursor? {
            try await store.harvestCursor(source: ArxivAPIHarvester.source, set: request.cursorSet)
        }
        /// The `start` of each request received so far.
        var starts: [String?] { server.requests.map { parameters($0.target)["start"] } }
    }

    /// A request target's query parameters, decoded.
    static func parameters(_ target: String) -> [String: String] {
        let items = URLComponents(string: target)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }) { first, _ in first }
    }

    /// The server sees a request some time after the harvester starts it (the first one later
    /// still: it opens the connection), so gaps between arrivals are not gaps between starts.
    /// What holds exactly: the first request started after `began`, so it arrived at most
    /// `lateness` after its start, and the second started an interval after the first:
    /// `arrival₂ − arrival₁ ≥ interval − lateness`. Without pacing the gap is the few
    /// milliseconds it takes to store a page, and the lateness far less than the interval.
    static func secondArrivesAnIntervalAfterTheFirst(_ requests: [ReplayRequest], began: ContinuousClock.Instant) -> Bool {
        guard requests.count >= 2 else { return false }
        let lateness = began.duration(to: requests[0].receivedAt)
        return requests[0].receivedAt.duration(to: requests[1].receivedAt) >= interval - lateness
    }

    @Test func pagesAQueryUpToTheLimitAtLeastAnIntervalApart() async throws {
        try await Harness.run { harness in
            let began = ContinuousClock.now
            let report = try await harness.harvester.harvest(Self.testing, limit: 20)
            let requests = harness.server.requests.map { Self.parameters($0.target) }
            #expect(requests.map { $0["start"] } == ["0", "10"])
            #expect(requests.map { $0["max_results"] } == ["10", "10"])
            #expect(requests.allSatisfy { $0["search_query"] == "all:testing" && $0["sortBy"] == "submittedDate" })
            #expect(report.pages == 2)
            #expect(report.counts == UpsertCounts(inserted: 20))
            #expect(report.rejected == 0)
            #expect(try await harness.storedPapers == 20)
            let cursor = try await harness.cursor(Self.testing)
            #expect(cursor != nil && cursor?.resumptionToken == nil)
            let arrivals = harness.server.requests.map { began.duration(to: $0.receivedAt) }
            #expect(Self.secondArrivesAnIntervalAfterTheFirst(harness.server.requests, began: began), "\(arrivals)")
        }
    }

    /// A run that fails on its second page keeps the first and the cursor to the second; the
    /// next run of the same request asks for the second page alone.
    @Test func failedRunResumesAtTheFirstPageNotStored() async throws {
        try await Harness.run(faults: Array(repeating: .status(500), count: Self.retry.attempts)) { harness in
            let error = await #expect(throws: HarvestError.self) { try await harness.harvester.harvest(Self.testing, limit: 20) }
            #expect(error?.code == .unreachable)
            #expect(try await harness.storedPapers == 10)
            #expect(try await harness.cursor(Self.testing)?.resumptionToken == "10")
            let before = harness.server.requests.count
            let report = try await harness.harvester.harvest(Self.testing, limit: 20)
            #expect(harness.starts.dropFirst(before) == ["10"])
            #expect(report.counts == UpsertCounts(inserted: 10))
            #expect(try await harness.storedPapers == 20)
            #expect(try await harness.cursor(Self.testing)?.resumptionToken == nil)
        }
    }

    /// Two ids asked, one known to arXiv: the one is stored. An unknown id alone is an empty
    /// answer, which ends the run cleanly rather than being fetched again.
    @Test func idListStoresWhatArxivKnows() async throws {
        try await Harness.run(pageSize: 100) { harness in
            let two = ArxivAPIRequest.ids(["0808.05394", "1707.08567"])
            let report = try await harness.harvester.harvest(two)
            #expect(report.counts == UpsertCounts(inserted: 1))
            #expect(try await harness.store.paper(id: try #require(PaperID("1707.08567"))) != nil)
            #expect(try await harness.cursor(two)?.resumptionToken == nil)

            let none = ArxivAPIRequest.ids(["0000.0000"])
            let empty = try await harness.harvester.harvest(none)
            #expect(empty.pages == 1)
            #expect(empty.counts == UpsertCounts())
            #expect(try await harness.storedPapers == 1)
            #expect(harness.server.requests.count == 2)
            let cursor = try await harness.cursor(none)
            #expect(cursor != nil && cursor?.resumptionToken == nil)
        }
    }

    /// A long id list goes `pageSize` ids a request, each with its own cursor step.
    @Test func longIdListIsSplitIntoPagesOfIds() async throws {
        try await Harness.run(pageSize: 1) { harness in
            let request = ArxivAPIRequest.ids(["2104.12255v1", "astro-ph/0601001", "0000.0000"])
            let report = try await harness.harvester.harvest(request)
            #expect(harness.server.requests.map { Self.parameters($0.target)["id_list"] } == ["2104.12255v1", "astro-ph/0601001", "0000.0000"])
            #expect(report.pages == 3)
            #expect(report.counts == UpsertCounts(inserted: 2))
            #expect(try await harness.cursor(request)?.resumptionToken == nil)
        }
    }

    /// arXiv's error feed ends the run, quoting arXiv's reason: as it really comes (HTTP 400),
    /// and with a 200 status, should arXiv send it so.
    @Test(arguments: [400, 200])
    func errorFeedIsRefusedWithArxivsReason(status: Int) async throws {
        let feed = try Data(contentsOf: Fixtures.shared(Self.folder + "recorded_id_abc_s0_m100_b79c8dcf6bc3.xml"))
        let faults: [ReplayFault] = status == 200 ? [] : [.status(status, body: feed)]
        try await Harness.run(faults: faults, on: Self.abc) { harness in
            let error = await #expect(throws: HarvestError.self) { try await harness.harvester.harvest(.ids(["abc"])) }
            #expect(error?.code == .refused)
            let description = error.map { "\($0)" } ?? ""
            #expect(description.contains("incorrect id format for abc"), "\(description)")
            #expect(harness.server.requests.count == 1)
            let stored = try await harness.storedPapers
            #expect(stored == 0)
        }
    }

    /// An empty answer for a page arXiv has counted results past is fetched again (after the
    /// interval), and the run goes on.
    @Test func unexpectedlyEmptyPageIsFetchedAgain() async throws {
        let empty = try Data(contentsOf: Fixtures.shared(Self.folder + "recorded_id_0000.0000_s0_m100_8b51d9633a68.xml"))
        try await Harness.run(faults: [.replace(with: empty)]) { harness in
            let began = ContinuousClock.now
            let report = try await harness.harvester.harvest(Self.testing, limit: 20)
            #expect(harness.starts == ["0", "10", "10"])
            #expect(report.pages == 2)
            #expect(report.counts == UpsertCounts(inserted: 20))
            #expect(try await harness.storedPapers == 20)
            // Three requests, each started an interval after the one before, all after `began`.
            let last = try #require(harness.server.requests.last)
            #expect(began.duration(to: last.receivedAt) >= Self.interval * 2)
        }
    }

    /// A page that stays empty ends the run after a few tries, without an error, its cursor
    /// left at that page for the next run.
    @Test func pageThatStaysEmptyEndsTheRunWhereItStands() async throws {
        let empty = try Data(contentsOf: Fixtures.shared(Self.folder + "recorded_id_0000.0000_s0_m100_8b51d9633a68.xml"))
        let tries = ArxivAPIHarvester.emptyPageRetries + 1
        try await Harness.run(faults: Array(repeating: .replace(with: empty), count: tries)) { harness in
            let report = try await harness.harvester.harvest(Self.testing, limit: 20)
            #expect(harness.starts == ["0"] + Array(repeating: "10", count: tries))
            #expect(report.counts == UpsertCounts(inserted: 10))
            #expect(try await harness.cursor(Self.testing)?.resumptionToken == "10")
        }
    }

    @Test func truncatedPageIsFetchedAgain() async throws {
        try await Harness.run(faults: [.truncate(toBytes: 10_000)]) { harness in
            let report = try await harness.harvester.harvest(Self.testing, limit: 20)
            #expect(harness.starts == ["0", "10", "10"])
            #expect(report.pages == 2)
            #expect(report.counts == UpsertCounts(inserted: 20))
            #expect(report.rejected == 0)
            #expect(try await harness.storedPapers == 20)
        }
    }

    @Test func cursorNamesTheRequestReadablyAndDistinctly() {
        #expect(Self.testing.cursorSet == "query:all:testing")
        #expect(ArxivAPIRequest.ids(["0808.05394", "1707.08567"]).cursorSet == "ids:0808.05394,1707.08567")
        let many = (1...40).map { String(format: "2401.%05d", $0) }
        let long = ArxivAPIRequest.ids(many).cursorSet
        #expect(long.hasPrefix("ids:2401.00001…2401.00040 (40 ids, "))
        var other = many
        other[20] = "2401.99999"  // same ends, same size
        #expect(ArxivAPIRequest.ids(other).cursorSet != long)
    }
}
