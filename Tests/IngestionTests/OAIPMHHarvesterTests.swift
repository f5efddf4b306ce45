import AsyncHTTPClient
import Foundation
import Logging
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

@testable import Ingestion

/// The real three-page arXiv harvest (2,265 records chained by resumption tokens), replayed
/// where arXiv served it, with faults on the way: after each, every paper is stored once.
@Suite struct OAIPMHHarvesterTests {
    static let folder = "fixtures/arxiv-oai-pmh/"
    static let first = "/oai2?verb=ListRecords&metadataPrefix=oai_dc&from=2023-03-07"
    static let second = "/oai2?verb=ListRecords&resumptionToken=6511260%7C1001"
    static let third = "/oai2?verb=ListRecords&resumptionToken=6511260%7C2001"
    static let papers = 2_265
    static let retry = RetryPolicy(attempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(40), maxRetryAfter: .seconds(5))

    /// A store, a replay server with the three pages (and `faults` on one of them) and a harvester of them.
    struct Harness {
        let store: PaperDatabase
        let server: ReplayServer
        let http: HTTPClient
        var harvester: OAIPMHHarvester

        static func run<R>(faults: [ReplayFault] = [], on target: String = second, timeout: Duration = .seconds(60),
                           _ body: (Harness) async throws -> R) async throws -> R {
            let server = try await ReplayServer.start(routes: [
                try .recorded(first, file: folder + "oai_dc_ListRecords_data_0.xml"),
                try .recorded(second, file: folder + "oai_dc_ListRecords_data_1.xml"),
                try .recorded(third, file: folder + "oai_dc_ListRecords_data_2.xml"),
            ])
            server.inject(faults, into: target)
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: SourceClient.httpConfiguration)
            let store = try PaperDatabase.inMemory()
            let client = SourceClient(http: http, contact: "harvest@example.org", retry: OAIPMHHarvesterTests.retry,
                                      timeout: timeout, logger: Logger(label: "test"))
            let harness = Harness(store: store, server: server, http: http,
                                  harvester: OAIPMHHarvester(client: client, store: store, baseURL: server.baseURL + "/oai2",
                                                             metadataPrefix: "oai_dc"))
            defer { Task { try? await http.shutdown(); try? await server.shutdown() } }
            return try await body(harness)
        }

        var storedPapers: Int { get async throws { try await store.statistics().papers } }
        var cursor: HarvestCursor? { get async throws { try await store.harvestCursor(source: OAIPMHHarvester.source, set: "") } }
    }

    @Test func harvestsEveryPageOnceAndStartsTheNextRunWhereTheListEnded() async throws {
        try await Harness.run { harness in
            let report = try await harness.harvester.harvest(from: "2023-03-07")
            #expect(report.pages == 3)
            #expect(report.counts == UpsertCounts(inserted: Self.papers))
            #expect(report.rejected == 0)
            #expect(try await harness.storedPapers == Self.papers)
            #expect(harness.server.requests.map(\.target) == [Self.first, Self.second, Self.third])
            #expect(try await harness.cursor == HarvestCursor(source: OAIPMHHarvester.source, set: "", datestamp: "2023-03-07"))
            // The next run asks from the day the list ended (inclusive): the same papers, unchanged.
            let again = try await harness.harvester.harvest()
            #expect(again.counts == UpsertCounts(unchanged: Self.papers))
            #expect(try await harness.storedPapers == Self.papers)
        }
    }

    /// The faults of a real network, each on the middle page; the harvest recovers from each
    /// and stores every paper exactly once.
    /// Timeouts are generous, the slow answer's too: the whole test suite keeps two cores
    /// busy meanwhile, and serving a 2 MB page then can take seconds.
    @Test(arguments: [
        ("503 with Retry-After", [ReplayFault.status(503, retryAfter: "1", body: Data("Retry later".utf8))], 60),
        ("connection reset mid-body", [.resetMidBody(afterBytes: 50_000)], 60),
        ("truncated XML", [.truncate(toBytes: 400_000)], 60),
        ("slow answer past the timeout", [.delay(.seconds(90))], 20),
        ("the first page again", [.duplicate(of: first)], 60),
    ])
    func recoversFromAFault(name: String, faults: [ReplayFault], timeout: Int) async throws {
        try await Harness.run(faults: faults, timeout: .seconds(timeout)) { harness in
            let report = try await harness.harvester.harvest(from: "2023-03-07")
            #expect(report.counts.inserted == Self.papers, "\(name)")
            #expect(try await harness.storedPapers == Self.papers, "\(name)")
            #expect(harness.server.requests.filter { $0.target == Self.second }.count >= 2, "\(name): \(harness.server.requests.map(\.target))")
            #expect(try await harness.cursor?.resumptionToken == nil, "\(name)")
        }
    }

    /// An expired resumption token starts the list again from its first page.
    @Test func expiredResumptionTokenRestartsTheList() async throws {
        let expired = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
            <responseDate>2023-03-07T19:02:11Z</responseDate>
            <request verb="ListRecords">http://export.arxiv.org/oai2</request>
            <error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error>
            </OAI-PMH>
            """.utf8)
        try await Harness.run(faults: [.replace(with: expired)], on: Self.third) { harness in
            let report = try await harness.harvester.harvest(from: "2023-03-07")
            #expect(report.restarts == 1)
            #expect(harness.server.requests.map(\.target) == [Self.first, Self.second, Self.third, Self.first, Self.second, Self.third])
            #expect(report.counts.inserted == Self.papers)
            #expect(try await harness.storedPapers == Self.papers)
        }
    }

    /// A harvest that fails on its last page keeps the pages it stored and the cursor to the
    /// failed one; the next run asks for that page alone.
    @Test func failedRunResumesAtTheFirstPageNotStored() async throws {
        let failures = Array(repeating: ReplayFault.status(500), count: Self.retry.attempts)
        try await Harness.run(faults: failures, on: Self.third) { harness in
            await #expect(throws: HarvestError.self) { try await harness.harvester.harvest(from: "2023-03-07") }
            #expect(try await harness.storedPapers == 2_000)
            #expect(try await harness.cursor?.resumptionToken == "6511260|2001")
            let before = harness.server.requests.count
            let report = try await harness.harvester.harvest()
            #expect(harness.server.requests.dropFirst(before).map(\.target) == [Self.third])
            #expect(report.counts == UpsertCounts(inserted: 265))
            #expect(try await harness.storedPapers == Self.papers)
        }
    }

    @Test func firstPageAddressNamesFormatSetAndDays() throws {
        let harvester = OAIPMHHarvester(client: SourceClient(http: HTTPClient.shared, contact: nil, retry: Self.retry,
                                                             timeout: .seconds(1), logger: Logger(label: "test")),
                                        store: try PaperDatabase.inMemory(), baseURL: "https://oaipmh.arxiv.org/oai",
                                        set: "physics:hep-th")
        #expect(harvester.listURL(from: "2024-01-02", until: "2024-01-31")
            == "https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&set=physics:hep-th&from=2024-01-02&until=2024-01-31")
        #expect(harvester.resumeURL("6511260|1001+x") == "https://oaipmh.arxiv.org/oai?verb=ListRecords&resumptionToken=6511260%7C1001%2Bx")
    }
}
