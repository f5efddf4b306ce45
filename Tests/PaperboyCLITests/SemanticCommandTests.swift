import Foundation
import PaperboyTesting
import Testing

/// `paperboy embed`, `search --mode` and `similar` as a user runs them, on one real Hugging
/// Face page and the real model.
@Suite(.serialized) struct SemanticCommandTests {
    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func embedOnceThenSearchByMeaningAndFindSimilarPapers() throws {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.url)
        let model = ["PAPERBOY_MODEL": Fixtures.modelDirectory.path]
        let page = try #require(Fixtures.hfPages.first)
        #expect(try cli.run(["import", page.path]).status == 0)
        let papers = try #require(try Self.json(cli.run(["list", "--json", "--limit", "1000"]).stdout) as? [[String: Any]])

        let first = try cli.run(["embed", "--json"], extraEnvironment: model)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try #require(try Self.json(first.stdout) as? [String: Double])
        #expect(Int(report["embedded"] ?? 0) == papers.count)
        #expect(Int(report["vectors"] ?? 0) == papers.count)
        #expect(FileManager.default.fileExists(atPath: dir.file("vector.index").path))
        let second = try cli.run(["embed"], extraEnvironment: model)
        #expect(second.stdout == "Every paper already has a vector (\(papers.count) in all).\n", "a second run embeds nothing")

        let title = try #require(papers[3]["title"] as? String)
        let id = try #require(papers[3]["id"] as? String)
        for mode in ["semantic", "hybrid"] {
            let search = try cli.run(["search", "--mode", mode, "--json", "--limit", "5", title], extraEnvironment: model)
            #expect(search.status == 0, "\(search.stderr)")
            let hits = try #require(try Self.json(search.stdout) as? [[String: Any]])
            #expect(hits.first?["id"] as? String == id, "\(mode): the paper's own title finds it first")
            #expect(!search.stderr.contains("keywords only"))
        }

        let similar = try cli.run(["similar", id, "--json", "--limit", "5"], extraEnvironment: model)
        #expect(similar.status == 0, "\(similar.stderr)")
        let neighbours = try #require(try Self.json(similar.stdout) as? [[String: Any]])
        #expect(neighbours.count == 5)
        #expect(!neighbours.contains { $0["id"] as? String == id })

        // Without a model: keywords only, said once; asking for meaning is a clear error.
        let none = ["PAPERBOY_MODEL": dir.file("no-model").path]
        let keyword = try cli.run(["search", "diffusion"], extraEnvironment: none)
        #expect(keyword.status == 0)
        #expect(keyword.stderr.components(separatedBy: "keywords only").count == 2, "said once: \(keyword.stderr)")
        let semantic = try cli.run(["search", "--mode", "semantic", "diffusion"], extraEnvironment: none)
        #expect(semantic.status == 1)
        #expect(semantic.stderr.contains("paperboy model install"))
        let refused = try cli.run(["embed"], extraEnvironment: none)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no embedding model is installed"))
    }
}
