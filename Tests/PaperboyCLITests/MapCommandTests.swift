import Foundation
import PaperboyTesting
import Testing

/// `paperboy map` as a user runs it: on the real seed papers embedded by the real model.
@Suite(.serialized) struct MapCommandTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func mapsTheSeedPapersIntoLabelledTopicsAndSavesTheMap() throws {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.url)
        let model = ["PAPERBOY_MODEL": Fixtures.modelDirectory.path]
        let imported = try cli.run(["import"] + (try Fixtures.hfPages).map(\.path)
                                   + [Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl").path])
        #expect(imported.status == 0, "\(imported.stderr)")

        let early = try cli.run(["map"], extraEnvironment: model)
        #expect(early.status == 1, "no vectors yet")
        #expect(early.stderr.contains("paperboy embed"), "\(early.stderr)")

        let embedded = try cli.run(["embed", "--json"], extraEnvironment: model)
        #expect(embedded.status == 0, "\(embedded.stderr)")
        let vectors = try #require(Int(try Self.json(embedded.stdout)["vectors"] as? Double ?? -1))
        #expect(vectors > 300)

        let run = try cli.run(["map", "--json", "--quality", "--landmarks", "200"], extraEnvironment: model)
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try Self.json(run.stdout)
        #expect(summary["papers"] as? Int == vectors)
        #expect(summary["landmarks"] as? Int == 200, "the rest were placed among 200 landmarks")
        #expect(summary["file"] as? String == dir.file("map.bin").path)
        let topics = try #require(summary["topics"] as? [[String: Any]])
        #expect(topics.count == 8, "√(papers/20) is below 8, so 8 topics")
        let sizes = topics.compactMap { $0["papers"] as? Int }
        #expect(sizes.reduce(0, +) == vectors)
        #expect(sizes == sizes.sorted(by: >), "largest first")
        for topic in topics {
            let label = try #require(topic["label"] as? String)
            let terms = try #require(topic["terms"] as? [String])
            #expect(label == terms.prefix(3).joined(separator: ", "))
            #expect(terms.count >= 3, "\(topic)")
        }
        let labels = topics.compactMap { $0["label"] as? String }
        #expect(Set(labels).count == labels.count, "topics are told apart: \(labels)")
        let stages = try #require(summary["stages"] as? [String: Double])
        #expect(Set(stages.keys) == ["pca", "knn", "layout", "placement", "topics"])
        let quality = try #require(summary["quality"] as? [String: Any])
        let trust = try #require(quality["trustworthiness"] as? Double)
        let pcaTrust = try #require(quality["pcaTrustworthiness"] as? Double)
        #expect(trust > pcaTrust, "the layout keeps neighbourhoods better than two PCA components: \(quality)")
        #expect(FileManager.default.fileExists(atPath: dir.file("map.bin").path))

        // The same seed gives the same map; the human summary names the topics; --png draws it.
        let picture = dir.file("map.png")
        let again = try cli.run(["map", "--landmarks", "200", "--png", picture.path, "--png-size", "480"], extraEnvironment: model)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Mapped \(vectors) papers (200 laid out, the rest placed) into 8 topics"), "\(again.stdout)")
        for label in labels { #expect(again.stdout.contains(label), "\(label) in \(again.stdout)") }
        #expect(again.stdout.contains("Drew the map at \(picture.path)."))
        let png = [UInt8](try Data(contentsOf: picture))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Array(png[16..<24]) == [0, 0, 1, 0xE0, 0, 0, 1, 0xE0], "480 × 480 pixels")
        let redrawn = dir.file("again.png")
        let fromSaved = try cli.run(["map", "--saved", "--png", redrawn.path, "--png-size", "480"])
        #expect(fromSaved.status == 0, "\(fromSaved.stderr)")
        #expect(try Data(contentsOf: redrawn) == Data(png), "the saved map draws as the one just computed")
        let nowhere = try cli.run(["map", "--landmarks", "200", "--png", dir.file("no/such/dir/map.png").path], extraEnvironment: model)
        #expect(nowhere.status == 1)
        #expect(nowhere.stderr.contains("cannot write the picture \(dir.file("no/such/dir/map.png").path)"), "\(nowhere.stderr)")

        // map.bin holds every paper: at least an id length, a point, a topic and a day each.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: dir.file("map.bin").path)[.size] as? Int)
        #expect(size > vectors * 14)
    }

    @Test func drawingTheSavedMapWithoutOneSaysHowToMakeIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.url)
        let run = try cli.run(["map", "--saved", "--png", dir.file("map.png").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("there is no saved map at \(dir.file("map.bin").path); `paperboy map` computes one"), "\(run.stderr)")
        let withoutPicture = try cli.run(["map", "--saved"])
        #expect(withoutPicture.status == 64 && withoutPicture.stderr.contains("--saved draws the saved map: give --png FILE too."))
    }
}
