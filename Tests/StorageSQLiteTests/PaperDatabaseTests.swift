import Foundation
import GRDB
import Ingestion
import PaperboyCore
import PaperboyTesting
@testable import StorageSQLite
import Testing

/// The SQLite store: every shared store behaviour against a real file, then what only the
/// SQLite store promises (file format, migrations, change tracking, failure handling).
struct PaperDatabaseTests {
    /// A fresh store in its own temporary directory.
    private struct Fixture {
        let directory: TemporaryDirectory
        let store: PaperDatabase
        var path: URL { directory.file("papers.sqlite") }

        init() throws {
            directory = try TemporaryDirectory()
            store = try PaperDatabase.file(at: directory.file("papers.sqlite"))
        }
    }

    @Test(arguments: PaperStoreBehaviour.all.map(\.name))
    func storeBehaviour(_ name: String) async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await PaperStoreBehaviour.run(name, on: fixture.store)
    }

    @Test func inMemoryStoreBehavesLikeTheFile() async throws {
        for behaviour in PaperStoreBehaviour.all {
            try await behaviour.check(try PaperDatabase.inMemory())
        }
    }

    // MARK: - The file

    @Test func fileIsInWALModeWithNormalSyncAndForeignKeys() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let settings = try await fixture.store.writer.write { db in
            [try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchOne(db, sql: "PRAGMA synchronous"),
             try String.fetchOne(db, sql: "PRAGMA foreign_keys")]
        }
        #expect(settings == ["wal", "1", "1"])
    }

    @Test func openingCreatesTheParentDirectories() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try PaperDatabase.file(at: directory.url.appendingPathComponent("a/b/papers.sqlite"))
        #expect(try await store.upsert([SamplePapers.arxiv("1706.03762")]) == UpsertCounts(inserted: 1))
        #expect(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("a/b/papers.sqlite").path))
    }

    @Test func storeIdentityIsFixedAtCreationAndDiffersBetweenStores() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let identity = try await fixture.store.identity()
        #expect(identity.count == 32)
        let reopened = try PaperDatabase.file(at: fixture.path)
        #expect(try await reopened.identity() == identity)
        #expect(try await PaperDatabase.inMemory().identity() != identity)
    }

    @Test func migrationsAreRecordedByName() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let (applied, tables) = try await fixture.store.writer.read { db in
            (try PaperDatabase.migrator.appliedMigrations(db),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name"))
        }
        #expect(applied == ["v1 papers", "v2 store identity", "v3 paper vectors", "v4 paper votes", "v5 harvest state", "v6 outbox",
                            "v7 readers", "v8 library", "v9 subscriptions", "v10 vector sequence"])
        #expect(tables == ["harvest_cursors", "library_revisions", "library_saves", "library_tags", "outbox", "paper_aliases",
                           "paper_categories", "paper_vectors", "paper_votes", "papers", "reader_sessions", "readers", "reset_tokens",
                           "server_secrets", "sign_in_failures", "store_meta", "subscriptions"])
    }

    @Test func reopenedFileKeepsPapersAliasesAndGeneration() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("papers.sqlite")
        let page = SamplePapers.titleOnly("Attention Is All You Need", upvotes: 5)
        let paper = SamplePapers.everyField
        do {
            let store = try PaperDatabase.file(at: path)
            _ = try await store.upsert([paper, page])
            _ = try await store.upsert([SamplePapers.arxiv("1706.03762")])
        }
        let reopened = try PaperDatabase.file(at: path)
        #expect(try await reopened.paper(id: paper.id) == PaperStoreBehaviour.toTheSecond(paper))
        #expect(try await reopened.paper(id: page.id)?.id.rawValue == "1706.03762")
        #expect(try await reopened.generation() == 2)
        #expect(try await reopened.upsert([paper, page]) == UpsertCounts(unchanged: 2))
    }

    @Test func fileFromANewerPaperboyIsRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        try await fixture.store.writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')")
        }
        let error = #expect(throws: PaperboyError.self) { try PaperDatabase.file(at: fixture.path) }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("newer Paperboy (unknown migrations: v99 from the future)") == true)
    }

    /// What a `kill -9` leaves: the main file and its WAL as they were after the last commit,
    /// with the connection never closed. Copying both while the store is open reproduces it.
    @Test func fileLeftByACrashOpensWithEveryCommittedBatch() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        _ = try await fixture.store.upsert(SamplePapers.generated(count: 300))
        _ = try await fixture.store.upsert(SamplePapers.generated(count: 200, offset: 300))
        let crashed = fixture.directory.file("crashed/papers.sqlite")
        try FileManager.default.createDirectory(at: crashed.deletingLastPathComponent(), withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: fixture.path.path + suffix, toPath: crashed.path + suffix)
        }
        let recovered = try PaperDatabase.file(at: crashed)
        #expect(try await recovered.statistics().papers == 500)
        #expect(try await recovered.generation() == 2)
        let integrity = try await recovered.writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
    }

    @Test func statisticsReportTheFileSizeWithItsWAL() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        _ = try await fixture.store.upsert(SamplePapers.generated(count: 200))
        let size = try await fixture.store.statistics().sizeOnDisk ?? 0
        let main = try FileManager.default.attributesOfItem(atPath: fixture.path.path)[.size] as? Int ?? 0
        let wal = try FileManager.default.attributesOfItem(atPath: fixture.path.path + "-wal")[.size] as? Int ?? 0
        #expect(size == Int64(main + wal))
        #expect(size > 200 * 1000)
        #expect(try await PaperDatabase.inMemory().statistics().sizeOnDisk == nil)
    }

    // MARK: - Change tracking

    @Test func generationAndRevisionsAdvanceOnlyOnChange() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let store = fixture.store
        let a = SamplePapers.arxiv("2401.00001"), b = SamplePapers.arxiv("2401.00002")
        #expect(try await store.generation() == 0)
        _ = try await store.upsert([a, b])
        #expect(try await store.generation() == 1)
        _ = try await store.upsert([a, b])
        #expect(try await store.generation() == 1)
        _ = try await store.upsert([SamplePapers.arxiv("2401.00002", version: 2)])
        #expect(try await store.generation() == 2)

        let all = try await store.papersChanged(since: 0, limit: 100)
        #expect(all.papers.map(\.id) == [a.id, b.id])
        #expect(all.revision == 2)
        let latest = try await store.papersChanged(since: 1, limit: 100)
        #expect(latest.papers.map(\.id) == [b.id])
        #expect(latest.papers.first?.version == 2)
        let none = try await store.papersChanged(since: 2, limit: 100)
        #expect(none.papers.isEmpty)
        #expect(none.revision == 2)
        let revisions = try await store.writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT revision FROM papers ORDER BY id")
        }
        #expect(revisions == [1, 2])
    }

    @Test func changedPapersComeInPagesOfWholeGenerations() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        for batch in 0..<3 {
            _ = try await fixture.store.upsert(SamplePapers.generated(count: 3, offset: batch * 3))
        }
        let first = try await fixture.store.papersChanged(since: 0, limit: 2)
        #expect(first.papers.count == 3)
        #expect(first.revision == 1)
        let second = try await fixture.store.papersChanged(since: first.revision, limit: 4)
        #expect(second.papers.map(\.id) == SamplePapers.generated(count: 6, offset: 3).map(\.id))
        #expect(second.revision == 3)
        let done = try await fixture.store.papersChanged(since: second.revision, limit: 4)
        #expect(done.papers.isEmpty)
        #expect(done.revision == 3)
    }

    @Test func idsMergedAwayAreReportedRetired() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let page = SamplePapers.titleOnly("Attention Is All You Need", upvotes: 5)
        _ = try await fixture.store.upsert([page])
        _ = try await fixture.store.upsert([SamplePapers.arxiv("1706.03762")])
        let changes = try await fixture.store.papersChanged(since: 1, limit: 10)
        #expect(changes.papers.map(\.id.rawValue) == ["1706.03762"])
        #expect(changes.retiredIDs == [page.id])
        let categoryRows = try await fixture.store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT paper_id || ' ' || category FROM paper_categories ORDER BY category")
        }
        #expect(categoryRows == ["1706.03762 cs.CL", "1706.03762 cs.LG"])
    }

    // MARK: - Failures

    @Test func failedStatementRollsBackTheWholeBatch() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let stored = SamplePapers.arxiv("1706.03762")
        _ = try await fixture.store.upsert([stored])
        try await fixture.store.writer.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_paper BEFORE INSERT ON papers WHEN NEW.id = '2401.00003'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        }
        let batch = [SamplePapers.arxiv("2401.00001"), SamplePapers.arxiv("1706.03762", version: 2),
                     SamplePapers.arxiv("2401.00003"), SamplePapers.arxiv("2401.00004")]
        let error = await #expect(throws: PaperboyError.self) { try await fixture.store.upsert(batch) }
        #expect(error?.code == .storage)
        #expect(error?.message.hasPrefix(fixture.path.path + ": cannot upsert 4 papers") == true)
        #expect(error.map { "\($0)".contains("refused by the test") } == true)
        #expect(try await fixture.store.statistics().papers == 1)
        #expect(try await fixture.store.paper(id: stored.id)?.version == 1)
        #expect(try await fixture.store.generation() == 1)
    }

    @Test func unopenableFileIsAStorageErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = #expect(throws: PaperboyError.self) { try PaperDatabase.file(at: directory.url) }
        #expect(error?.code == .storage)
        #expect(error?.message.hasPrefix(directory.url.path + ": ") == true)
    }

    @Test func invalidPaperIsRefusedNamingIt() async throws {
        let store = try PaperDatabase.inMemory()
        let tooLong = Paper(id: SamplePapers.arxivID("2401.00001"), title: String(repeating: "x", count: 5000), sources: [.arxivAPI])
        let error = await #expect(throws: PaperboyError.self) { try await store.upsert([tooLong]) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("paper 2401.00001: field \"title\" is 5000 bytes") == true)
    }

    // MARK: - Volume and real records

    @Test func realSnapshotRecordsRoundTripAndReimportUnchanged() async throws {
        var parser = try ArxivSnapshotParser(url: Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"))
        var papers: [Paper] = []
        while let record = try parser.next() {
            if case .paper(let paper) = record { papers.append(paper) }
        }
        #expect(papers.count == 200)
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        #expect(try await fixture.store.upsert(papers) == UpsertCounts(inserted: 200))
        for paper in papers {
            #expect(try await fixture.store.paper(id: paper.id) == PaperStoreBehaviour.toTheSecond(paper))
        }
        #expect(try await fixture.store.upsert(papers.reversed()) == UpsertCounts(unchanged: 200))
        try await expectCategoryRowsMatchPapers(fixture.store)
    }

    @Test func categoryRowsFollowInsertsUpdatesAndMoves() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let title = "Scaling Laws for Neural Language Models"
        var page = SamplePapers.titleOnly(title)
        page.categories = ["cs.LG"]
        _ = try await fixture.store.upsert([page, SamplePapers.arxiv("2401.00001", categories: ["math.GT", "math.AT"])])
        _ = try await fixture.store.upsert([SamplePapers.arxiv("2001.08361", title: title, categories: ["stat.ML", "cs.LG"])])
        _ = try await fixture.store.upsert([SamplePapers.arxiv("2401.00001", version: 2, categories: ["math.AT"])])
        try await expectCategoryRowsMatchPapers(fixture.store)
        let rows = try await fixture.store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT category || ' ' || paper_id FROM paper_categories ORDER BY 1")
        }
        #expect(rows == ["cs.LG 2001.08361", "math.AT 2401.00001", "stat.ML 2001.08361"])
    }

    /// `paper_categories` holds exactly the categories listed in `papers.categories`.
    private func expectCategoryRowsMatchPapers(_ store: PaperDatabase) async throws {
        let (rows, listed) = try await store.writer.read { db in
            let rows = try String.fetchAll(db, sql: "SELECT category || ' ' || paper_id FROM paper_categories")
            let listed = try Row.fetchAll(db, sql: "SELECT id, categories FROM papers").flatMap { row -> [String] in
                let id: String = row["id"], categories: String = row["categories"]
                return categories.split(separator: " ").map { "\($0) \(id)" }
            }
            return (rows, listed)
        }
        #expect(Set(rows) == Set(listed))
        #expect(rows.count == Set(listed).count)
    }

    // MARK: - Volume

    @Test func thousandsOfPapersInsertThenStayUnchanged() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let papers = SamplePapers.generated(count: 5000)
        var first = UpsertCounts(), second = UpsertCounts()
        for start in stride(from: 0, to: papers.count, by: 1000) {
            first += try await fixture.store.upsert(Array(papers[start..<(start + 1000)]))
        }
        for start in stride(from: 0, to: papers.count, by: 1000) {
            second += try await fixture.store.upsert(Array(papers[start..<(start + 1000)]))
        }
        #expect(first == UpsertCounts(inserted: 5000))
        #expect(second == UpsertCounts(unchanged: 5000))
        let newest = try await fixture.store.papers(matching: PaperQuery(limit: 3))
        #expect(newest.map(\.id) == papers.suffix(3).reversed().map(\.id))
        #expect(newest.first == papers.last)
    }

    /// Narrow categories are listed from the category table, broad ones (here `cs`, thousands
    /// of rows) by walking the publication index: both give the same answer as a plain filter.
    @Test func narrowAndBroadCategoriesListTheSamePapersAsAPlainFilter() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let papers = SamplePapers.generated(count: 5000)
        for start in stride(from: 0, to: papers.count, by: 1000) {
            _ = try await fixture.store.upsert(Array(papers[start..<(start + 1000)]))
        }
        let (broad, narrow) = try await fixture.store.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_categories WHERE category >= 'cs.' AND category < 'cs/'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_categories WHERE category = 'cs.LG'") ?? 0)
        }
        #expect(broad >= PaperQueries.broadCategoryRows && narrow < PaperQueries.broadCategoryRows)
        let newestFirst = papers.reversed()
        let since = papers[4000].published
        for category in ["cs", "cs.LG", "hep-th", "stat", "math.PR", "astro-ph"] {
            func matches(_ paper: Paper) -> Bool {
                paper.categories.contains { $0 == category || $0.hasPrefix(category + ".") }
            }
            let all = try await fixture.store.papers(matching: PaperQuery(category: category, limit: 30))
            #expect(all.map(\.id) == newestFirst.filter(matches).prefix(30).map(\.id), "category \(category)")
            let recent = try await fixture.store.papers(matching: PaperQuery(since: since, category: category, limit: 5000))
            let expected = newestFirst.filter { matches($0) && $0.published.map { $0 >= since ?? .distantPast } == true }
            #expect(recent.map(\.id) == expected.map(\.id), "category \(category) since")
        }
    }
}
