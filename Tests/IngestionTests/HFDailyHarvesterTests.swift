import AsyncHTTPClient
import Foundation
import Logging
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

@testable import Ingestion

/// Hugging Face's real daily list of 2026-06-12 (30 papers with upvotes), replayed where the
/// API serves it, harvested day by day through a clock set to the next day.
@Suite struct HFDailyHarvesterTests {
    static let twelfth = "/api/daily_papers?date=2026-06-12"
    static let thirteenth = "/api/daily_papers?date=2026-06-13"
    static let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_781_344_800) }  // 2026-06-13T10:00Z

    static func run(faults: [ReplayFault] = [], _ body: (PaperDatabase, ReplayServer, HFDailyHarvester) async throws -> Void) async throws {
        let server = try await ReplayServer.start(routes: [
            try .recorded(twelfth, file: "fixtures/hf-daily-papers/daily_papers_2026-06-12.json", contentType: "application/json"),
            ReplayRoute(thirteenth, body: Data("[]".utf8), contentType: "application/json"),
        ])
        server.inject(faults, into: twelfth)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: SourceClient.httpConfiguration)
        defer { Task { try? await http.shutdown(); try? await server.shutdown() } }
        let store = try PaperDatabase.inMemory()
        let client = SourceClient(http: http, contact: nil, retry: RetryPolicy(attempts: 3, baseDelay: .milliseconds(10)),
                                  timeout: .seconds(60), logger: Logger(label: "test"))
        try await body(store, server, HFDailyHarvester(client: client, store: store, baseURL: server.baseURL + "/api/daily_papers",
                                                       clock: clock))
    }

    @Test func harvestsEachDayThroughTodayThenGoesOnFromTheLastOne() async throws {
        try await Self.run { store, server, harvester in
            let report = try await harvester.harvest(from: "2026-06-12")
            #expect(server.requests.map(\.target) == [Self.twelfth, Self.thirteenth])
            #expect(report.pages == 2)
            #expect(report.counts == UpsertCounts(inserted: 30))
            #expect(report.rejected == 0)
            #expect(try await store.harvestCursor(source: HFDailyHarvester.source, set: "")?.datestamp == "2026-06-13")
            let before = server.requests.count
            _ = try await harvester.harvest()
            #expect(server.requests.dropFirst(before).map(\.target) == [Self.thirteenth])
        }
    }

    /// A paper first stored from arXiv, without upvotes, gets them from its daily entry.
    @Test func upvotesReachPapersAlreadyStored() async throws {
        try await Self.run { store, _, harvester in
            let id = try #require(PaperID("2606.11409"))
            _ = try await store.upsert([SamplePapers.arxiv("2606.11409", title: "A paper first seen on arXiv")])
            #expect(try await store.paper(id: id)?.upvotes == nil)
            let report = try await harvester.harvest(from: "2026-06-12")
            #expect(report.counts == UpsertCounts(inserted: 29, updated: 1))
            #expect(try await store.paper(id: id)?.upvotes == 8)
            #expect(try await store.statistics().papers == 30)
        }
    }

    @Test func truncatedDayIsFetchedAgain() async throws {
        try await Self.run(faults: [.truncate(toBytes: 60_000)]) { store, server, harvester in
            let report = try await harvester.harvest(from: "2026-06-12")
            #expect(server.requests.filter { $0.target == Self.twelfth }.count == 2)
            #expect(report.counts.inserted == 30)
            #expect(try await store.statistics().papers == 30)
        }
    }

    @Test func daysRunFromFirstThroughLast() {
        #expect(HFDailyHarvester.days(from: "2024-02-28", through: "2024-03-01") == ["2024-02-28", "2024-02-29", "2024-03-01"])
        #expect(HFDailyHarvester.days(from: "2024-03-02", through: "2024-03-01").isEmpty)
    }
}
