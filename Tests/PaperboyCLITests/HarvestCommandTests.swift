import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// `paperboy harvest` as a user runs it, against the real recorded three-page arXiv harvest
/// replayed on a local server.
@Suite struct HarvestCommandTests {
    static let folder = "fixtures/arxiv-oai-pmh/"
    static let first = "/oai2?verb=ListRecords&metadataPrefix=oai_dc&from=2023-03-07"
    static let second = "/oai2?verb=ListRecords&resumptionToken=6511260%7C1001"
    static let third = "/oai2?verb=ListRecords&resumptionToken=6511260%7C2001"

    static func server(slowLastPage: Bool = false) async throws -> ReplayServer {
        let server = try await ReplayServer.start(routes: [
            try .recorded(first, file: folder + "oai_dc_ListRecords_data_0.xml"),
            try .recorded(second, file: folder + "oai_dc_ListRecords_data_1.xml"),
            try .recorded(third, file: folder + "oai_dc_ListRecords_data_2.xml"),
        ])
        if slowLastPage { server.inject([.delay(.seconds(60))], into: third) }
        return server
    }

    static func arguments(_ server: ReplayServer, _ extra: [String] = []) -> [String] {
        ["harvest", "--oai-url", server.baseURL + "/oai2", "--metadata-prefix", "oai_dc", "--from", "2023-03-07"] + extra
    }

    @Test func harvestSaysWhatItStored() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await Self.server()
        defer { Task { try await server.shutdown() } }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let run = try cli.run(Self.arguments(server))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Harvested arXiv from \(server.baseURL)/oai2: 2,265 records in 3 pages ("))
        #expect(run.stdout.contains("s): 2,265 new, 0 updated, 0 unchanged, 0 rejected."))
        let again = try cli.run(Self.arguments(server, ["--json"]))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        #expect((report["counts"] as? [String: Int])?["unchanged"] == 2_265)
        #expect(server.requests.allSatisfy { $0.userAgent?.hasPrefix("Paperboy/") == true })
    }

    /// Hugging Face daily papers from a day through today: the recorded day, and empty days
    /// (as the API answers them) after it.
    @Test func hfDailyHarvestSaysWhatItStored() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let recorded = "/api/daily_papers?date=2026-06-12"
        let server = try await ReplayServer.start(routes: [
            try .recorded(recorded, file: "fixtures/hf-daily-papers/daily_papers_2026-06-12.json", contentType: "application/json"),
            ReplayRoute(name: "other days", body: Data("[]".utf8), contentType: "application/json") {
                $0.hasPrefix("/api/daily_papers?date=") && $0 != recorded
            },
        ])
        defer { Task { try await server.shutdown() } }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let run = try cli.run(["harvest", "--source", "hf-daily", "--hf-url", server.baseURL + "/api/daily_papers", "--from", "2026-06-12"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Harvested Hugging Face daily papers from \(server.baseURL)/api/daily_papers: 30 records in "))
        #expect(run.stdout.contains("s): 30 new, 0 updated, 0 unchanged, 0 rejected."))
        #expect(server.requests.first?.target == recorded)
    }

    /// Settings come from `paperboy.toml`, an environment variable overrides the file and a
    /// flag overrides both: here the contact address arXiv sees in the User-Agent.
    @Test func flagsOverrideTheEnvironmentWhichOverridesTheFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await Self.server()
        defer { Task { try await server.shutdown() } }
        try FileManager.default.createDirectory(at: dir.file("data"), withIntermediateDirectories: true)
        try Data("""
            [harvest]
            oai_url = "\(server.baseURL)/oai2"
            metadata_prefix = "oai_dc"
            contact = "file@example.org"
            """.utf8).write(to: dir.file("data/paperboy.toml"))
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let environment = ["PAPERBOY_HARVEST_CONTACT": "environment@example.org"]
        for (flags, env, contact) in [([String](), [String: String](), "file@example.org"), ([], environment, "environment@example.org"),
                                      (["--contact", "flag@example.org"], environment, "flag@example.org")] {
            let before = server.requests.count
            let run = try cli.run(["harvest", "--from", "2023-03-07"] + flags, extraEnvironment: env)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("2,265 records in 3 pages"))
            let agents = Set(server.requests.dropFirst(before).compactMap(\.userAgent))
            #expect(agents == ["Paperboy/\(PaperboyVersion.current) (+mailto:\(contact))"])
        }
    }

    /// Particular papers from the arXiv API, by id: the real recorded answer for one id.
    @Test func arxivAPIHarvestFetchesPapersByID() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await ReplayServer.start(routes: [
            ReplayRoute(name: "one id", body: try Data(contentsOf: Fixtures.shared("fixtures/arxiv-api/xml/recorded_id_2104.12255v1_s0_m100_6ae69987ffe1.xml")),
                        contentType: "application/atom+xml") { $0.hasPrefix("/api/query?") && $0.contains("id_list=2104.12255v1") },
        ])
        defer { Task { try await server.shutdown() } }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let run = try cli.run(["harvest", "--source", "arxiv-api", "--arxiv-api-url", server.baseURL + "/api/query", "--id", "2104.12255v1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Harvested arXiv papers from \(server.baseURL)/api/query: 1 records in 1 pages ("), "\(run.stdout)")
        #expect(run.stdout.contains("s): 1 new, 0 updated, 0 unchanged, 0 rejected."))
        let shown = try cli.run(["show", "2104.12255"])
        #expect(shown.status == 0, "\(shown.stderr)")

        let neither = try cli.run(["harvest", "--source", "arxiv-api"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--source arxiv-api needs either --id (one or more) or --query."))
    }

    @Test func unreachableSourceEndsWithASentenceAndFailure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let run = try cli.run(["harvest", "--oai-url", "http://127.0.0.1:9/oai2", "--attempts", "2", "--timeout", "2"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: "))
        #expect(run.stderr.contains("http://127.0.0.1:9/oai2?verb=ListRecords"))
        #expect(run.stdout.isEmpty)
    }

    @Test func secondHarvestOnTheSameStoreIsRefused() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try PaperDatabase.file(at: dir.file("data/paperboy.sqlite"))
        let lock = try #require(try await store.lock("harvest"))
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let run = try cli.run(["harvest", "--oai-url", "http://127.0.0.1:9/oai2", "--attempts", "1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: Another harvest is running on this store"))
        await lock.release()
        let free = try cli.run(["harvest", "--oai-url", "http://127.0.0.1:9/oai2", "--attempts", "1"])
        #expect(free.stderr.contains("error: Could not fetch http://127.0.0.1:9/oai2"))
    }

    /// SIGKILL while the last page is on its way: the two stored pages stay with the cursor
    /// to the third, and the next run fetches the third alone; every paper is stored once.
    @Test func killedHarvestResumesWhereItStopped() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await Self.server(slowLastPage: true)
        defer { Task { try await server.shutdown() } }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let (process, _, _) = try cli.start(Self.arguments(server))
        // Wait (blocking, as other tests keep the pool busy) until the last page is asked for.
        let deadline = ContinuousClock.now + .seconds(120)
        while !server.requests.contains(where: { $0.target == Self.third }), process.isRunning, ContinuousClock.now < deadline {
            usleep(10_000)
        }
        #expect(process.isRunning, "the harvest ended before the last page")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let store = try PaperDatabase.file(at: dir.file("data/paperboy.sqlite"))
        #expect(try await store.statistics().papers == 2_000)
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "")?.resumptionToken == "6511260|2001")

        let before = server.requests.count
        let run = try cli.run(["harvest", "--oai-url", server.baseURL + "/oai2"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(server.requests.dropFirst(before).map(\.target) == [Self.third])
        #expect(run.stdout.contains("265 new, 0 updated, 0 unchanged"))
        #expect(try await store.statistics().papers == 2_265)
    }
}
