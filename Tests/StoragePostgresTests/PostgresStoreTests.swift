import Foundation
import PaperboyCore
import PaperboyTesting
import PostgresNIO
@testable import StoragePostgres
import Testing

/// The PostgreSQL paper store: every behaviour the SQLite store is held to, on a real server,
/// and what only several nodes over one database need.
struct PostgresStoreTests {
    @Test(arguments: PaperStoreBehaviour.all.map(\.name))
    func storeBehaviour(_ name: String) async throws {
        try await PaperStoreBehaviour.run(name, on: try await PostgresTestStore.fresh())
    }

    /// Two processes (two stores) over one database: a write on one is read on the other.
    @Test func twoNodesSeeOneStore() async throws {
        let url = try PostgresServer.shared().freshDatabase()
        let first = try await PostgresStore.open(url: url)
        let second = try await PostgresStore.open(url: url)
        #expect(try await first.identity() == second.identity())
        let papers = SamplePapers.generated(count: 20)
        #expect(try await first.upsert(papers) == UpsertCounts(inserted: 20))
        #expect(try await second.generation() == 1)
        #expect(try await second.papersChanged(since: 0, limit: 100).papers.count == 20)
        #expect(try await second.upsert(papers) == UpsertCounts(unchanged: 20))
    }

    /// Writers on several nodes at once: every generation is handed out once, in commit order,
    /// so a follower reading changes page by page sees every paper exactly once.
    @Test func concurrentWritersNeverSkipAChange() async throws {
        let url = try PostgresServer.shared().freshDatabase()
        let stores = [try await PostgresStore.open(url: url), try await PostgresStore.open(url: url)]
        let papers = SamplePapers.generated(count: 400)
        let follower = try await PostgresStore.open(url: url)
        let seen = Seen()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, batch) in papers.chunked(into: 10).enumerated() {
                let store = stores[index % 2]
                group.addTask { _ = try await store.upsert(Array(batch)) }
            }
            group.addTask {
                var revision: Int64 = 0
                while await seen.count < 400 {
                    let changes = try await follower.papersChanged(since: revision, limit: 7)
                    await seen.add(changes.papers.map(\.id))
                    revision = changes.revision
                    if changes.papers.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                }
            }
            try await group.waitForAll()
        }
        #expect(await seen.count == 400)
        #expect(await seen.duplicates == 0)
        #expect(try await follower.generation() == 40)
    }

    /// A committed change is announced on the change channel with its generation; a rolled
    /// back one is not.
    @Test func committedChangesAreNotified() async throws {
        let url = try PostgresServer.shared().freshDatabase()
        let store = try await PostgresStore.open(url: url)
        let listener = try await PostgresConnection.connect(
            configuration: try PostgresLocation(url: url).connectionConfiguration(), id: 1, logger: store.logger)
        defer { Task { try? await listener.close() } }
        try await listener.listen(on: PostgresStore.changeChannel) { notifications in
            let invalid = SamplePapers.arxiv("2401.00001", title: "")
            await #expect(throws: PaperboyError.self) { _ = try await store.upsert([invalid]) }
            _ = try await store.upsert(SamplePapers.generated(count: 3))
            var iterator = notifications.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first?.payload == "1")
        }
    }

    /// The lock is one per database across stores and dies with its session.
    @Test func advisoryLockHasOneHolderAcrossNodes() async throws {
        let url = try PostgresServer.shared().freshDatabase()
        let first = try await PostgresStore.open(url: url)
        let second = try await PostgresStore.open(url: url)
        let held = try #require(try await first.lock("harvest"))
        #expect(try await second.lock("harvest") == nil)
        #expect(try await second.lock("digests") != nil)
        await held.release()
        let again = try #require(try await second.lock("harvest"))
        await again.release()
    }

    /// A database written by a newer Paperboy is refused with a sentence saying so.
    @Test func newerSchemaIsRefused() async throws {
        let url = try PostgresServer.shared().freshDatabase()
        let store = try await PostgresStore.open(url: url)
        _ = try await store.write("test") { connection in
            try await connection.query("INSERT INTO paperboy_migrations (name) VALUES ('v99 future')", logger: store.logger)
        }
        await #expect {
            _ = try await PostgresStore.open(url: url)
        } throws: { error in
            "\(error)".contains("newer Paperboy") && "\(error)".contains("v99 future")
        }
    }

    /// An unreachable server is a clear error naming it, without its password.
    @Test func unreachableServerIsNamed() async throws {
        let port = try FreePort.find()
        await #expect {
            _ = try await PostgresStore.open(url: "postgres://paperboy:secret@127.0.0.1:\(port)/paperboy?sslmode=disable")
        } throws: { error in
            let text = "\(error)"
            return text.contains("127.0.0.1:\(port)") && !text.contains("secret")
        }
    }

    @Test func urlsAreReadAsLibpqReadsThem() throws {
        let tcp = try PostgresLocation(url: "postgres://ann:p%40ss@db.example:6543/papers?sslmode=require&pool_size=4&connect_timeout=12")
        #expect(tcp.host == "db.example" && tcp.port == 6543 && tcp.username == "ann" && tcp.password == "p@ss")
        #expect(tcp.database == "papers" && tcp.sslMode == .require && tcp.poolSize == 4 && tcp.connectTimeout == .seconds(12))
        #expect(try PostgresLocation(url: "postgres://h/db").connectTimeout == .seconds(5))
        #expect(tcp.description == "postgres://ann@db.example:6543/papers")
        let socket = try PostgresLocation(url: "postgresql:///papers?host=/var/run/postgresql")
        #expect(socket.socketDirectory == "/var/run/postgresql" && socket.database == "papers")
        #expect(throws: PaperboyError.self) { try PostgresLocation(url: "postgres://h/db?sslmode=maybe") }
        #expect(throws: PaperboyError.self) { try PostgresLocation(url: "postgres://h/db?connect_timeout=0") }
        #expect(throws: PaperboyError.self) { try PostgresLocation(url: "mysql://h/db") }
    }
}

private actor Seen {
    private var ids: Set<PaperID> = []
    private(set) var duplicates = 0
    var count: Int { ids.count }

    func add(_ new: [PaperID]) {
        for id in new where !ids.insert(id).inserted { duplicates += 1 }
    }
}

extension Array {
    fileprivate func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
