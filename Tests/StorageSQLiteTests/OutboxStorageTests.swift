import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// The SQLite outbox: every shared outbox behaviour against a real file, and messages that
/// outlive the process that recorded them.
struct OutboxStorageTests {
    @Test(arguments: OutboxStoreBehaviour.all.map(\.name))
    func outboxBehaviour(_ name: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try await OutboxStoreBehaviour.run(name, on: try PaperDatabase.file(at: dir.file("paperboy.sqlite")))
    }

    /// A message recorded before a crash is still due after the store is opened again.
    @Test func recordedMessagesSurviveReopening() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let start = OutboxStoreBehaviour.start
        do {
            let store = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
            _ = try await store.enqueue([OutboxStoreBehaviour.draft("digest:7:2026-11-26")], at: start)
        }
        let reopened = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
        #expect(try await reopened.dueMessages(at: start, limit: 10).map(\.draft) == [OutboxStoreBehaviour.draft("digest:7:2026-11-26")])
    }
}
