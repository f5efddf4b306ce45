import Foundation
import PaperboyTesting
import Testing

/// `paperboy search` and `paperboy index` as a reader runs them, on the real seed papers.
@Suite(.serialized) struct SearchCommandTests {
    private static func seededStore() throws -> (TemporaryDirectory, CommandRunner) {
        let dir = try TemporaryDirectory()
        let cli = CommandRunner(dataDirectory: dir.url)
        let result = try cli.run(["import"] + (try Fixtures.hfPages).map(\.path)
                                 + [Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl").path])
        #expect(result.status == 0, "\(result.stderr)")
        return (dir, cli)
    }

    @Test func searchPrintsRankedPapersWithHighlightedSnippets() throws {
        let (dir, cli) = try Self.seededStore()
        defer { dir.remove() }
        let result = try cli.run(["search", "\"speculative decoding\"", "--limit", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("  1. ") == true)
        #expect(lines.first?.contains("Speculative Decoding") == true)
        #expect(result.stdout.contains("**Speculative** **decoding**") || result.stdout.contains("**speculative** **decoding**"))
        #expect(lines.filter { $0.range(of: #"^ +\d+\. "#, options: .regularExpression) != nil }.count == 3)
        // The index was saved beside the store, so the next search loads it.
        #expect(FileManager.default.fileExists(atPath: dir.file("keyword.index").path))
    }

    @Test func jsonPrintsFullRecordsWithScoresAndExplainShowsTermShares() throws {
        let (dir, cli) = try Self.seededStore()
        defer { dir.remove() }
        let json = try cli.run(["search", "author:Streinu", "--json", "--explain"])
        #expect(json.status == 0, "\(json.stderr)")
        let hits = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let hit = try #require(hits.first)
        #expect(hit["id"] as? String == "0704.0002")
        #expect(hit["title"] as? String == "Sparsity-certifying Graph Decompositions")
        for key in ["abstract", "authors", "categories", "published", "score", "explanation"] { #expect(hit[key] != nil, "\(key)") }
        let parts = try #require(hit["explanation"] as? [[String: Any]])
        #expect(parts.first?["field"] as? String == "authors" && parts.first?["term"] as? String == "streinu")

        let explained = try cli.run(["search", "mixture of experts routing", "--explain", "--limit", "1"])
        #expect(explained.stdout.contains("title:mixtur") && explained.stdout.contains("abstract:rout"))
    }

    @Test func syntaxErrorPointsAtTheColumnAndExitsWithStatusTwo() throws {
        let (dir, cli) = try Self.seededStore()
        defer { dir.remove() }
        let result = try cli.run(["search", "diffusion since:2024-13-01"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("column 17"))
        #expect(result.stderr.contains("diffusion since:2024-13-01\n                ^"))
    }

    @Test func corruptIndexFileIsRebuiltAndSearchStillAnswers() throws {
        let (dir, cli) = try Self.seededStore()
        defer { dir.remove() }
        let built = try cli.run(["index", "--json"])
        #expect(built.status == 0, "\(built.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(built.stdout.utf8)) as? [String: Any])
        #expect(report["papers"] as? Int == 535)
        let file = dir.file("keyword.index")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 3] ^= 0xFF
        try bytes.write(to: file)
        let result = try cli.run(["search", "quantum", "--limit", "2"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("keyword index rebuilt from the store"))
        #expect(result.stderr.contains("checksum"))
        #expect(result.stdout.contains("  1. "))
    }

    @Test func emptyStoreSaysHowToFillIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let result = try CommandRunner(dataDirectory: dir.url).run(["search", "anything"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("paperboy import"))
    }
}
