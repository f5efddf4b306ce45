import Foundation
import PaperboyTesting
import Testing

/// The `import` command run as a real process on the real recorded files in ../shared.
@Suite(.serialized) struct ImportCommandTests {
    private static func allFixtureFiles() throws -> [URL] {
        try Fixtures.hfPages
            + Fixtures.sharedFiles(in: "fixtures/arxiv-api/xml", suffix: ".xml")
            + Fixtures.sharedFiles(in: "fixtures/arxiv-oai-pmh", suffix: ".xml")
            + Fixtures.sharedFiles(in: "fixtures/kaggle-arxiv-snapshot", suffix: ".jsonl")
            + Fixtures.sharedFiles(in: "fixtures/hf-daily-papers", suffix: ".json")
    }

    private static func storedPapers(_ cli: CommandRunner) throws -> Int {
        let stats = try cli.run(["stats", "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        return object?["papers"] as? Int ?? -1
    }

    /// One JSON report per imported file.
    private static func reports(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    private static func total(_ reports: [[String: Any]], _ key: String) -> Int {
        reports.reduce(0) { $0 + ((($1["counts"] as? [String: Any])?[key] as? Int) ?? 0) }
    }

    @Test func importingTheFiveHuggingFacePagesGives335Papers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.url)
        let result = try cli.run(["import", "--json"] + Fixtures.hfPages.map(\.path))
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try Self.reports(result.stdout)
        #expect(reports.count == 5)
        #expect(Self.total(reports, "inserted") == 335)
        #expect(Self.total(reports, "inserted") + Self.total(reports, "unchanged") + Self.total(reports, "updated") == 405)
        #expect(try Self.storedPapers(cli) == 335)
    }

    @Test func importingEveryFixtureGivesTheCountsTheirProvenanceImpliesAndReimportChangesNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.url)
        let files = try Self.allFixtureFiles().map(\.path)
        let first = try cli.run(["import", "--json"] + files)
        #expect(first.status == 0, "\(first.stderr)")
        // 335 page papers + 119 distinct Atom papers + 2,265 OAI records + GetRecord's 2107.10460
        // + 200 snapshot lines + 30 daily papers; no paper appears in two of these sources.
        #expect(try Self.storedPapers(cli) == 335 + 119 + 2_265 + 1 + 200 + 30)
        // The API's error feed is the only rejection.
        let firstReports = try Self.reports(first.stdout)
        #expect(firstReports.reduce(0) { $0 + ($1["rejected"] as? Int ?? 0) } == 1)

        let second = try cli.run(["import", "--json"] + files)
        #expect(second.status == 0, "\(second.stderr)")
        let reports = try Self.reports(second.stdout)
        #expect(Self.total(reports, "inserted") == 0)
        #expect(Self.total(reports, "updated") == 0)
        #expect(Self.total(reports, "unchanged") == Self.total(firstReports, "inserted") + Self.total(firstReports, "updated") + Self.total(firstReports, "unchanged"))
    }

    @Test func aFileInNoKnownFormatIsRefusedAndNothingIsWritten() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.url.appendingPathComponent("data"))
        let html = Fixtures.shared("fixtures/arxiv-oai-pmh/retry_after_503_body.html")
        let result = try cli.run(["import", html.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("retry_after_503_body.html: not a format Paperboy can import"))
        #expect(result.stderr.contains("arxiv-snapshot"))
        #expect(try Self.storedPapers(cli) == 0)
    }

    @Test func anEmptyFileIsRefusedButTheOtherFilesAreImported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let empty = try dir.write("empty.jsonl", Data())
        let cli = CommandRunner(dataDirectory: dir.url.appendingPathComponent("data"))
        let snapshot = Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")
        let result = try cli.run(["import", empty.path, snapshot.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("empty.jsonl: the file is empty"))
        #expect(result.stdout.contains("200 inserted"))
        #expect(try Self.storedPapers(cli) == 200)
    }

    @Test func malformedRecordsAreListedWithFileAndLineAndTheRestIsKept() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let snapshot = Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")
        var lines = try String(contentsOf: snapshot, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[9] = "{\"id\": 42, \"title\": \"wrong type\"}"
        lines[19] = "this is not JSON"
        let bad = try dir.write("bad.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8))
        let cli = CommandRunner(dataDirectory: dir.url.appendingPathComponent("data"))
        let result = try cli.run(["import", bad.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("198 inserted"))
        #expect(result.stdout.contains("2 rejected"))
        #expect(result.stdout.contains("bad.jsonl:10:"))
        #expect(result.stdout.contains("bad.jsonl:20:"))
        #expect(try Self.storedPapers(cli) == 198)
    }
}
