import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// Harvest state shared through the file: two stores opened on the same file stand for two
/// processes (each has its own SQLite connections, so only the file's locks order them).
struct HarvestStateTests {
    @Test func leaseIsExclusiveAcrossTwoConnectionsToOneFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try PaperDatabase.file(at: directory.file("papers.sqlite"))
        let second = try PaperDatabase.file(at: directory.file("papers.sqlite"))
        let now = SamplePapers.date("2024-03-01T06:00:00")
        let expiry = now.addingTimeInterval(600)

        // Claims racing from both connections: exactly one holder wins.
        let winners = try await withThrowingTaskGroup(of: (holder: String, store: PaperDatabase)?.self) { group in
            for index in 0..<16 {
                let store = index.isMultiple(of: 2) ? first : second
                let holder = "worker-\(index)"
                group.addTask {
                    try await store.claimLease("harvest", holder: holder, until: expiry, now: now) ? (holder, store) : nil
                }
            }
            return try await group.reduce(into: [(holder: String, store: PaperDatabase)]()) { winners, winner in
                if let winner { winners.append(winner) }
            }
        }
        try #require(winners.count == 1)
        let winner = winners[0]
        let loser = winner.holder == "worker-0" ? "worker-1" : "worker-0"
        #expect(try await !first.claimLease("harvest", holder: loser, until: expiry, now: now))
        #expect(try await !second.claimLease("harvest", holder: loser, until: expiry, now: now))

        // Released through the winner's connection, the lease is free through the other.
        let other = winner.store === first ? second : first
        try await winner.store.releaseLease("harvest", holder: winner.holder)
        #expect(try await other.claimLease("harvest", holder: loser, until: expiry, now: now))
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
