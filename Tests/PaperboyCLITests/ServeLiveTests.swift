import Foundation
import PaperboyTesting
import Testing

/// `paperboy serve` as a reader runs it, on a data directory filled by `paperboy import`
/// of the real fixtures, checked by third-party clients: feedparser for the Atom feeds,
/// the `arxiv` package for `/api/query`, schemathesis for the JSON API against its
/// OpenAPI document, and headless Chromium for the pages (`Tests/browser`, screenshots in
/// `.build/test-output/browser`). Ends with SIGTERM, which must shut the server down cleanly.
@Suite(.serialized) struct ServeLiveTests {
    static let pipPackages = "pip install schemathesis feedparser arxiv selenium (and apt-get install chromium chromium-driver)"

    @Test func thirdPartyClientsAgreeWithTheLiveServer() async throws {
        try Self.requirePython()
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let imported = try cli.run(["import",
                                    Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl").path,
                                    Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json").path]
                                   + (try Fixtures.hfPages).map(\.path))
        try #require(imported.status == 0, "\(imported.stderr)")

        let (server, out, err) = try cli.start(["serve", "--port", "0"])
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let base = try CommandRunner.readyURL(from: out, server: server, err: err)

        let live = Fixtures.projectRoot.appendingPathComponent("Tests/live")
        for (program, script) in [("python3", "feeds_check.py"), ("python3", "arxiv_client_check.py"),
                                  ("sh", "schemathesis_check.sh")] {
            let result = try Self.run(program, [live.appendingPathComponent(script).path, base])
            #expect(result.status == 0, "\(script) failed:\n\(result.output)")
        }
        let screenshots = Fixtures.projectRoot.appendingPathComponent(".build/test-output/browser")
        let browser = try Self.run("python3", [Fixtures.projectRoot.appendingPathComponent("Tests/browser/browser_test.py").path,
                                               base, screenshots.path])
        #expect(browser.status == 0, "the browser test failed:\n\(browser.output)")

        kill(server.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while server.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        #expect(!server.isRunning, "the server ignored SIGTERM")
        #expect(server.terminationReason == .exit && server.terminationStatus == 0,
                "the server did not shut down cleanly: status \(server.terminationStatus)")
    }

    /// Fails with the pip command when python3 or a client package is missing.
    private static func requirePython() throws {
        let probe = try? run("python3", ["-c", "import feedparser, arxiv, selenium"])
        guard let probe, probe.status == 0 else {
            Issue.record("python3 with feedparser, arxiv and selenium is needed: \(pipPackages)\n\(probe?.output ?? "python3 not found")")
            throw CancellationError()
        }
        let schemathesis = try? run("sh", ["-c", "command -v schemathesis"])
        guard schemathesis?.status == 0 else {
            Issue.record("schemathesis is needed on PATH: \(pipPackages)")
            throw CancellationError()
        }
    }

    struct Output {
        var status: Int32
        var output: String
    }

    /// Runs `program` found on PATH, stdout and stderr together.
    static func run(_ program: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
