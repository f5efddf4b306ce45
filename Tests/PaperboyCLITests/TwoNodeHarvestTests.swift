import Foundation
import PaperboyCore
import PaperboyTesting
import StoragePostgres
import Testing

extension NodeSuites {
    /// Two `paperboy serve` nodes with scheduled harvests over one PostgreSQL database. Node A
    /// harvests the recorded three-page arXiv list and is killed with SIGKILL while the last page
    /// is on its way; node B, which found the harvest lock taken, takes the lock over once A's
    /// session is gone and finishes the list from the stored cursor: the third page alone, and
    /// every paper stored once.
    @Suite struct TwoNodeHarvestTests {
        static let folder = "fixtures/arxiv-oai-pmh/"
        static let third = "/oai2?verb=ListRecords&resumptionToken=6511260%7C2001"

        @Test func theOtherNodeFinishesAKilledNodesHarvest() async throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let server = try await ReplayServer.start(routes: [
                try .recorded("/oai2?verb=ListRecords&metadataPrefix=oai_dc", file: Self.folder + "oai_dc_ListRecords_data_0.xml"),
                try .recorded("/oai2?verb=ListRecords&resumptionToken=6511260%7C1001", file: Self.folder + "oai_dc_ListRecords_data_1.xml"),
                try .recorded(Self.third, file: Self.folder + "oai_dc_ListRecords_data_2.xml"),
                ReplayRoute(name: "a day", body: Data("[]".utf8), contentType: "application/json") {
                    $0.hasPrefix("/api/daily_papers?date=")
                },
            ])
            defer { Task { try await server.shutdown() } }
            server.inject([.delay(.seconds(300))], into: Self.third)   // the first request for it only
            let url = try PostgresServer.shared().freshDatabase()
            let environment = [
                "PAPERBOY_STORE_URL": url, "PAPERBOY_MODEL": dir.file("no-model").path,
                "PAPERBOY_HARVEST_SCHEDULE": "true", "PAPERBOY_HARVEST_OAI_URL": server.baseURL + "/oai2",
                "PAPERBOY_HARVEST_HF_URL": server.baseURL + "/api/daily_papers", "PAPERBOY_HARVEST_METADATA_PREFIX": "oai_dc",
                "PAPERBOY_HARVEST_CONTACT": "test@example.org",
            ]

            let a = try ServeNode(CommandRunner(dataDirectory: dir.file("a")), environment)
            defer { a.stop() }
            let asked = ContinuousClock.now
            while !server.requests.contains(where: { $0.target == Self.third }), ContinuousClock.now - asked < .seconds(60) {
                try await Task.sleep(for: .milliseconds(20))
            }
            try #require(server.requests.contains { $0.target == Self.third }, "node A never asked for the last page")
            let b = try ServeNode(CommandRunner(dataDirectory: dir.file("b")), environment)
            defer { b.stop() }
            try await Task.sleep(for: .seconds(2))   // B has tried and found the lock taken
            #expect(server.requests.filter { $0.target == Self.third }.count == 1, "node B harvested while A held the lock")
            kill(a.process.processIdentifier, SIGKILL)
            a.process.waitUntilExit()

            let store = try await PostgresStore.open(url: url)
            #expect(try await store.statistics().papers == 2_000, "the two pages A stored before it died")
            // B retries a taken lock after a minute.
            let deadline = ContinuousClock.now + .seconds(120)
            while try await store.statistics().papers < 2_265, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(try await store.statistics().papers == 2_265, "node B said:\n\(b.log.suffix(4_000))")
            let oaiRequests = server.requests.map(\.target).filter { $0.hasPrefix("/oai2?") }
            #expect(oaiRequests.count == 4, "pages fetched: \(oaiRequests)")
            #expect(oaiRequests.filter { $0 == Self.third }.count == 2, "B should fetch the third page alone: \(oaiRequests)")
            // Its index takes the papers in a moment after they are stored.
            var found = false
            let stored = ContinuousClock.now
            while !found, ContinuousClock.now - stored < .seconds(60) {
                found = try await b.get("/api/v1/search?q=%22Maximum-Leaf%20Spanning%20Tree%22").body
                    .contains("A Simple 2-Approximation for Maximum-Leaf Spanning Tree")
                if !found { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(found, "node B does not find a paper of the last page")
        }
    }
}
