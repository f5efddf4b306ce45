import Foundation
import PaperboyTesting
import Testing

/// `stats`, `list`, `show` and `--help` run as a real process on a store filled from ../shared.
@Suite(.serialized) struct CommandTests {
    private static func filledStore() throws -> (TemporaryDirectory, CommandRunner) {
        let dir = try TemporaryDirectory()
        let cli = CommandRunner(dataDirectory: dir.url)
        let files = [
            Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"),
            Fixtures.shared("fixtures/arxiv-api/xml/search_all_transformer_AND_cat_cs.LG_max5_2026.xml"),
            Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json"),
        ]
        let result = try cli.run(["import"] + files.map(\.path))
        #expect(result.status == 0, "\(result.stderr)")
        return (dir, cli)
    }

    @Test func showPrintsOnePaperAsTextJSONAndArxivStyleBibTeX() throws {
        let (dir, cli) = try Self.filledStore()
        defer { dir.remove() }
        let text = try cli.run(["show", "0704.0001"])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies\n"))
        #expect(text.stdout.contains("C. Balázs, E. L. Berger, P. M. Nadolsky, C. -P. Yuan"))
        #expect(text.stdout.contains("DOI 10.1103/physrevd.76.013009"))

        let json = try cli.run(["show", "0704.0001v2", "--json"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "0704.0001")
        #expect(object["version"] as? Int == 2)
        #expect(object["categories"] as? [String] == ["hep-ph"])

        let bibtex = try cli.run(["show", "0704.0001", "--bibtex"])
        #expect(bibtex.stdout.hasPrefix("@misc{balazs2007calculationprompt,\n"))
        #expect(bibtex.stdout.contains("      eprint={0704.0001},\n      archivePrefix={arXiv},\n      primaryClass={hep-ph},\n"))
    }

    @Test func showRefusesAnUnknownOrMalformedId() throws {
        let (dir, cli) = try Self.filledStore()
        defer { dir.remove() }
        let missing = try cli.run(["show", "2401.99999"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no paper with id 2401.99999"))
        let malformed = try cli.run(["show", "not-an-id"])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("'not-an-id' is not a paper id"))
    }

    @Test func listFiltersByDayAndCategoryNewestFirst() throws {
        let (dir, cli) = try Self.filledStore()
        defer { dir.remove() }
        let all = try cli.run(["list", "--limit", "1000"])
        let recent = try cli.run(["list", "--since", "2026-06-10", "--limit", "1000"])
        #expect(recent.status == 0)
        let allDays = all.stdout.split(separator: "\n").map { String($0.prefix(10)) }
        let days = recent.stdout.split(separator: "\n").map { String($0.prefix(10)) }
        #expect(allDays.count == 235)
        #expect(days.count == allDays.filter { $0 >= "2026-06-10" }.count)
        #expect(days.count >= 5)  // the five Atom papers of 2026-06-10/11 at least
        #expect(days == days.sorted(by: >))
        #expect(try cli.run(["list", "--limit", "3"]).stdout.split(separator: "\n").count == 3)

        let physics = try cli.run(["list", "--category", "hep-ph", "--limit", "500", "--json"])
        let papers = try #require(JSONSerialization.jsonObject(with: Data(physics.stdout.utf8)) as? [[String: Any]])
        #expect(!papers.isEmpty)
        #expect(papers.allSatisfy { ($0["categories"] as? [String])?.contains("hep-ph") == true })

        let bad = try cli.run(["list", "--since", "2024-13-01"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--since expects a day as YYYY-MM-DD"))
    }

    @Test func statsCountsPapersBySource() throws {
        let (dir, cli) = try Self.filledStore()
        defer { dir.remove() }
        let stats = try cli.run(["stats"])
        #expect(stats.stdout.hasPrefix("235 papers in "))
        #expect(stats.stdout.contains("arxiv-snapshot 200"))
        #expect(stats.stdout.contains("hf-daily 30"))
    }

    @Test func everyCommandHasCompleteHelp() throws {
        let cli = CommandRunner(dataDirectory: URL(fileURLWithPath: "/nonexistent"))
        let expectations: [String: [String]] = [
            "import": ["--format", "--batch-size", "--json", "--data", "arxiv-snapshot", "oai-pmh", "hf-pages", "hf-daily", "arxiv-atom"],
            "stats": ["--json", "--data"],
            "list": ["--since", "--category", "--limit", "--json"],
            "show": ["--json", "--bibtex", "<id>"],
            "serve": ["--data"],
        ]
        for (command, words) in expectations {
            let help = try cli.run([command, "--help"])
            #expect(help.status == 0)
            for word in words { #expect(help.stdout.contains(word), "\(command) --help lacks \(word)") }
        }
    }
}
