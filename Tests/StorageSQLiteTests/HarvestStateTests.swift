import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// Harvest state shared through the file: two stores opened on the same file stand for two
/// processes (each has its own SQLite connections and lock-file descriptors). The lock's
/// release by a process that dies is shown by `HarvestCommandTests` with SIGKILL.
struct HarvestStateTests {
    @Test func lockIsExclusiveAcrossTwoStoresOnOneFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try PaperDatabase.file(at: directory.file("papers.sqlite"))
        let second = try PaperDatabase.file(at: directory.file("papers.sqlite"))

        // Racing from both stores: exactly one holder wins.
        let winners = try await withThrowingTaskGroup(of: (any StoreLock)?.self) { group in
            for index in 0..<16 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.lock("harvest") }
            }
            return try await group.reduce(into: [any StoreLock]()) { if let lock = $1 { $0.append(lock) } }
        }
        try #require(winners.count == 1)
        #expect(try await first.lock("harvest") == nil)
        #expect(try await second.lock("harvest") == nil)
        await winners[0].release()
        let again = try #require(try await second.lock("harvest"))
        await again.release()
    }

    @Test func cursorWrittenThroughOneConnectionIsReadByTheOther() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try PaperDatabase.file(at: directory.file("papers.sqlite"))
        let second = try PaperDatabase.file(at: directory.file("papers.sqlite"))
        let cursor = HarvestCursor(source: "arxiv-oai", set: "cs", datestamp: "2024-02-29",
                                   resumptionToken: "6960524|1001", listFrom: "2024-02-29")

        #expect(try await first.upsert(SamplePapers.generated(count: 2), advancing: cursor) == UpsertCounts(inserted: 2))
        #expect(try await second.harvestCursor(source: "arxiv-oai", set: "cs") == cursor)
        #expect(try await second.statistics().papers == 2)
    }
}
