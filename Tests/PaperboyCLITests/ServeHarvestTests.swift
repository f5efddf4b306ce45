import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Testing

/// `paperboy serve` with `harvest.schedule = true` in `paperboy.toml`: on an empty store it
/// harvests at start (the recorded three-page arXiv list and a Hugging Face day, replayed
/// locally) and the harvested papers become searchable while it serves, with no other command.
@Suite struct ServeHarvestTests {
    static let folder = "fixtures/arxiv-oai-pmh/"

    @Test func scheduledHarvestFeedsTheRunningServer() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try await ReplayServer.start(routes: [
            try .recorded("/oai2?verb=ListRecords&metadataPrefix=oai_dc", file: Self.folder + "oai_dc_ListRecords_data_0.xml"),
            try .recorded("/oai2?verb=ListRecords&resumptionToken=6511260%7C1001", file: Self.folder + "oai_dc_ListRecords_data_1.xml"),
            try .recorded("/oai2?verb=ListRecords&resumptionToken=6511260%7C2001", file: Self.folder + "oai_dc_ListRecords_data_2.xml"),
            ReplayRoute(name: "a day", body: Data("[]".utf8), contentType: "application/json") {
                $0.hasPrefix("/api/daily_papers?date=")
            },
        ])
        defer { Task { try await server.shutdown() } }
        try FileManager.default.createDirectory(at: dir.file("data"), withIntermediateDirectories: true)
        try Data("""
            [harvest]
            schedule = true
            oai_url = "\(server.baseURL)/oai2"
            hf_url = "\(server.baseURL)/api/daily_papers"
            metadata_prefix = "oai_dc"
            contact = "test@example.org"
            """.utf8).write(to: dir.file("data/paperboy.toml"))
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let (process, out, err) = try cli.start(["serve", "--port", "0"], extraEnvironment: ["PAPERBOY_MODEL": dir.file("no-model").path])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let base = try CommandRunner.readyURL(from: out, server: process, err: err)

        // A paper from the last page: stored by the harvest, then indexed by the refresher.
        let query = "Maximum-Leaf Spanning Tree"
        var found = false
        let deadline = ContinuousClock.now + .seconds(90)
        while !found || !server.requests.contains(where: { $0.target.hasPrefix("/api/daily_papers?") }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            let url = try #require(URL(string: base + "/api/v1/search?q=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")))
            let (data, _) = try await URLSession.shared.data(from: url)
            found = String(decoding: data, as: UTF8.self).contains("A Simple 2-Approximation for Maximum-Leaf Spanning Tree")
        }
        #expect(found, "the harvested paper never became searchable")
        let targets = server.requests.map(\.target)
        #expect(targets.filter { $0.hasPrefix("/oai2?") }.count == 3)
        #expect(targets.contains { $0.hasPrefix("/api/daily_papers?date=") }, "the upvote harvest did not run at start")
        #expect(server.requests.allSatisfy { $0.userAgent?.hasSuffix("(+mailto:test@example.org)") == true })

        kill(process.processIdentifier, SIGTERM)
        let stop = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < stop { usleep(20_000) }
        #expect(!process.isRunning && process.terminationStatus == 0, "the server did not shut down cleanly")
    }
}
