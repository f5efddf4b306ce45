import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Testing

/// The map as a reader meets it: the five Hugging Face pages (335 real papers) and a
/// Hugging Face daily list (30 papers with dates, for the weekly trends) imported, embedded
/// by the real model, mapped by `paperboy map`, served by `paperboy serve`, and used in
/// headless Chromium (`Tests/browser/map_test.py`: tiles, zoom, pan, search, hover, click,
/// then the trends page; screenshots in `.build/test-output/browser`).
@Suite(.serialized) struct MapBrowserTests {
    @Test func aReaderPansZoomsSearchesAndOpensAPaperOnTheMap() async throws {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return
        }
        let selenium = try ServeLiveTests.run("python3", ["-c", "import selenium"])
        try #require(selenium.status == 0, "python3 with selenium is needed: \(ServeLiveTests.pipPackages)")
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let model = ["PAPERBOY_MODEL": Fixtures.modelDirectory.path]
        let imported = try cli.run(["import"] + (try Fixtures.hfPages).map(\.path)
                                   + [Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json").path])
        try #require(imported.status == 0, "\(imported.stderr)")
        let embedded = try cli.run(["embed"], extraEnvironment: model)
        try #require(embedded.status == 0, "\(embedded.stderr)")
        let mapped = try cli.run(["map"], extraEnvironment: model)
        try #require(mapped.status == 0, "\(mapped.stderr)")

        let (server, out, err) = try cli.start(["serve", "--port", "0"], extraEnvironment: model)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let base = try CommandRunner.readyURL(from: out, server: server, err: err)
        try await Self.waitForMap(at: base)

        let screenshots = Fixtures.projectRoot.appendingPathComponent(".build/test-output/browser")
        let browser = try ServeLiveTests.run("python3", [Fixtures.projectRoot.appendingPathComponent("Tests/browser/map_test.py").path,
                                                         base, screenshots.path])
        #expect(browser.status == 0, "the map's browser test failed:\n\(browser.output)")
    }

    /// The server loads `map.bin` beside its start-up; the page needs it loaded.
    private static func waitForMap(at base: String) async throws {
        let url = try #require(URL(string: base + "/api/v1/map"))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the server did not load the map within 60 s")
    }
}
