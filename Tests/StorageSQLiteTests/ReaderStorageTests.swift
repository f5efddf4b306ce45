import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// The SQLite reader store: every shared behaviour against a real file, sessions that
/// outlive the process, and a reset token two racing requests cannot both use.
struct ReaderStorageTests {
    @Test(arguments: ReaderStoreBehaviour.all.map(\.name))
    func readerStoreBehaviour(_ name: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try await ReaderStoreBehaviour.run(name, on: try PaperDatabase.file(at: dir.file("paperboy.sqlite")))
    }

    @Test func sessionsSurviveReopening() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let start = ReaderStoreBehaviour.start
        let id: ReaderID
        do {
            let store = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
            id = try #require(try await store.addReader(email: "ada@example.org", passwordHash: "h", at: start)).id
            try await store.addSession(ReaderSession(digest: "d", reader: id, createdAt: start, expiresAt: start + 60))
        }
        let reopened = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
        #expect(try await reopened.session(digest: "d", at: start)?.reader == id)
    }

    /// Two processes' worth of requests with one token, at once: exactly one sets the password.
    @Test func aResetTokenCannotBeUsedTwiceAtOnce() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let start = ReaderStoreBehaviour.start
        let first = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
        let second = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
        let id = try #require(try await first.addReader(email: "ada@example.org", passwordHash: "h", at: start)).id
        try await first.addResetToken(digest: "t", reader: id, expiresAt: start + 3_600)
        let outcomes = try await withThrowingTaskGroup(of: ReaderID?.self) { group in
            for (index, store) in [first, second, first, second].enumerated() {
                group.addTask { try await store.resetPassword(tokenDigest: "t", passwordHash: "h\(index)", at: start + 1) }
            }
            return try await group.reduce(into: [ReaderID?]()) { $0.append($1) }
        }
        #expect(outcomes.compactMap { $0 } == [id])
    }
}
