import Foundation
import PaperboyTesting
import Testing

/// An import killed with SIGKILL midway leaves a consistent store, and running it again
/// completes it without duplicates.
@Suite struct InterruptedImportTests {
    /// A snapshot of `count` lines made from the 200 real ones, each with a new id.
    private static func snapshot(lines count: Int, in dir: TemporaryDirectory) throws -> URL {
        let real = try String(contentsOf: Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        var text = ""
        for i in 0..<count {
            let line = real[i % real.count]
            let id = String(format: "%02d%02d.%05d", 15 + i / 1_199_988, 1 + (i / 99_999) % 12, i % 99_999 + 1)
            guard let range = line.range(of: #""id":"[^"]+""#, options: .regularExpression) else { continue }
            text += line.replacingCharacters(in: range, with: "\"id\":\"\(id)\"") + "\n"
        }
        return try dir.write("snapshot.jsonl", Data(text.utf8))
    }

    @Test func killedImportLeavesAConsistentStoreAndRerunCompletesIt() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let total = 40_000
        let file = try Self.snapshot(lines: total, in: dir)
        let cli = CommandRunner(dataDirectory: dir.file("data"))

        let (process, _, _) = try cli.start(["import", "--batch-size", "500", file.path])
        // Kill it once some batches have landed (the store has grown past a few batches'
        // worth of bytes) but long before it can finish. Watching the files costs the
        // importer nothing, unlike asking the store, so the race is never close. The wait
        // blocks this thread rather than suspending: other tests keep the shared pool busy,
        // and a suspended task could wake only after the import had finished.
        let deadline = ContinuousClock.now + .seconds(120)
        while Self.storeBytes(in: dir) < 4 << 20, process.isRunning, ContinuousClock.now < deadline {
            usleep(5_000)
        }
        #expect(process.isRunning, "the import finished before it could be interrupted")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let afterKill = try Self.papers(in: cli)
        #expect(afterKill > 0 && afterKill < total)
        #expect(afterKill % 500 == 0, "only whole batches are ever written")

        let rerun = try cli.run(["import", "--json", file.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let report = try #require(JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])
        let counts = try #require(report["counts"] as? [String: Int])
        #expect(counts["unchanged"] ?? -1 >= afterKill)
        #expect((counts["inserted"] ?? 0) + (counts["unchanged"] ?? 0) == total)
        #expect(try Self.papers(in: cli) == total)
    }

    /// Bytes of the store file and its write-ahead log.
    private static func storeBytes(in dir: TemporaryDirectory) -> Int {
        ["paperboy.sqlite", "paperboy.sqlite-wal"].reduce(0) { total, name in
            let path = dir.file("data").appendingPathComponent(name).path
            return total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }

    private static func papers(in cli: CommandRunner) throws -> Int {
        let stats = try cli.run(["stats", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        return object?["papers"] as? Int ?? 0
    }
}
