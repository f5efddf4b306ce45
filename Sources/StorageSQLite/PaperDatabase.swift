import Foundation
import GRDB
import PaperboyCore

/// The embedded paper store: one SQLite file in WAL mode, the default source of truth.
///
/// A façade over a GRDB connection pool: writes are serialized on one connection, each
/// `upsert` batch is one transaction, and reads run concurrently on snapshot connections, so a
/// server keeps answering while an import runs. The schema is owned by the migrations in
/// `PaperDatabase+Migrations.swift` and is brought up to date when the store opens.
///
/// Besides `PaperStore`, the store keeps a `generation` counter that every changing write
/// advances, and stamps each changed paper with it (`papersChanged(since:limit:)`), so a
/// derived index can tell that it is stale and catch up incrementally.
public final class PaperDatabase: PaperStore {
    /// Where the store lives, for messages: a file path, or `:memory:`.
    public let location: String

    /// Access to the database. Internal so tests can inspect the schema and provoke failures.
    let writer: any DatabaseWriter

    let isFile: Bool
    /// Locks taken on an in-memory store (a file store locks files).
    let memoryLocks = MemoryLocks()

    private init(writer: any DatabaseWriter, location: String, isFile: Bool) throws {
        self.writer = writer
        self.location = location
        self.isFile = isFile
        let migrator = Self.migrator
        let unknown: Set<String>
        do {
            unknown = try writer.read { db in try migrator.appliedIdentifiers(db) }
                .subtracting(migrator.migrations)
        } catch {
            throw PaperboyError(.storage, "\(location): cannot read the database schema version", cause: error)
        }
        guard unknown.isEmpty else {
            // Writing with an older schema could silently damage what the newer one relies on.
            throw PaperboyError(.storage, """
                \(location): was written by a newer Paperboy (unknown migrations: \(unknown.sorted().joined(separator: ", "))); \
                upgrade Paperboy to open it
                """)
        }
        do {
            try migrator.migrate(writer)
            try writer.write(Self.buildDeferredIndexes)
        } catch {
            throw PaperboyError(.storage, "\(location): cannot bring the database schema up to date", cause: error)
        }
    }

    /// Opens (or creates) the store in the SQLite file at `url`, creating its directory, and
    /// applies any migration it lacks. The file is in WAL mode with `synchronous=NORMAL`: a
    /// crash never corrupts it and loses at most the last transactions.
    public static func file(at url: URL) throws -> PaperDatabase {
        let path = url.path
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw PaperboyError(.storage, "\(path): cannot create the directory for the database", cause: error)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: makeConfiguration())
        } catch {
            throw PaperboyError(.storage, "\(path): cannot open the database", cause: error)
        }
        return try PaperDatabase(writer: pool, location: path, isFile: true)
    }

    /// A store that lives in memory and disappears with the value: for tests and tools that
    /// need a store but no file.
    public static func inMemory() throws -> PaperDatabase {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: makeConfiguration())
        } catch {
            throw PaperboyError(.storage, ":memory:: cannot open an in-memory database", cause: error)
        }
        return try PaperDatabase(writer: queue, location: ":memory:", isFile: false)
    }

    /// The connection settings: foreign keys on (GRDB's default), a busy timeout so another
    /// process's short write (a CLI import beside a server) waits instead of failing, a page
    /// cache large enough that index pages stay in memory during imports, and a WAL that is
    /// checkpointed in large steps.
    static func makeConfiguration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "PaperDatabase"
        config.prepareDatabase { db in
            // Page cache (SQLite's default is 2 MiB): 64 MiB for the writer, so the indexes an
            // import updates stay in memory; 16 MiB for each reader. Grown only as used.
            if db.configuration.readonly {
                try db.execute(sql: "PRAGMA cache_size = -16384")
            } else {
                try db.execute(sql: "PRAGMA cache_size = -65536")
                // Checkpoint the WAL every 64 MiB instead of every 4 MiB: an import rewrites
                // the same index pages batch after batch, and each checkpoint copies them (and
                // syncs) again. The WAL is truncated back to 64 MiB after a checkpoint.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
        }
        return config
    }

    // MARK: - Writes

    /// Merges the papers in order, in one transaction: either every paper is written or, when
    /// any paper is invalid or the write fails, none is. See `PaperStore` for the merge rule.
    public func upsert(_ papers: [Paper]) async throws -> UpsertCounts {
        guard !papers.isEmpty else { return UpsertCounts() }
        return try await access("cannot upsert \(papers.count) papers (nothing was written)") { writer in
            try await Self.upsert(papers, in: writer) { _ in }
        }
    }

    /// Merges `papers` in one write transaction and runs `alongside` in that same transaction,
    /// so what it writes (a harvest cursor) commits or rolls back with the papers. Papers are
    /// validated and encoded before the transaction, beside the single writer; an invalid one
    /// throws before anything is written.
    static func upsert(
        _ papers: [Paper], in writer: any DatabaseWriter, alongside: @escaping @Sendable (Database) throws -> Void
    ) async throws -> UpsertCounts {
        let encoded = try papers.map(BatchUpsert.encode)
        return try await writer.write { db in
            var batch = try BatchUpsert(db)
            for paper in encoded {
                try batch.upsert(paper)
            }
            try batch.finish()
            try alongside(db)
            return batch.counts
        }
    }

    // MARK: - Reads

    /// The paper with this id, or the paper it was merged into.
    public func paper(id: PaperID) async throws -> Paper? {
        try await access("cannot read paper \(id)") { writer in
            try await writer.read { db in try Self.paper(db, id: id) }
        }
    }

    /// The papers of `ids` in one read transaction: one trip to a reader connection, one
    /// consistent snapshot, each lookup a cached statement.
    public func papers(ids: [PaperID]) async throws -> [PaperID: Paper] {
        guard !ids.isEmpty else { return [:] }
        return try await access("cannot read \(ids.count) papers") { writer in
            try await writer.read { db in
                var found: [PaperID: Paper] = [:]
                for id in ids where found[id] == nil {
                    found[id] = try Self.paper(db, id: id)
                }
                return found
            }
        }
    }

    private static func paper(_ db: Database, id: PaperID) throws -> Paper? {
        let statement = try db.cachedStatement(sql: """
            SELECT \(PaperRow.selection) FROM papers
            WHERE id = coalesce((SELECT paper_id FROM paper_aliases WHERE old_id = ?1), ?1)
            """)
        return try StoredPaper.fetchOne(statement, arguments: [id.rawValue])?.paper()
    }

    /// Papers newest published first (papers without a date last, ties by id descending),
    /// filtered by publication date and category; a bare archive (`cs`) matches its categories.
    public func papers(matching query: PaperQuery) async throws -> [Paper] {
        guard query.limit > 0 else { return [] }
        return try await access("cannot list papers") { writer in
            try await writer.read { db in try PaperQueries.papers(db, matching: query) }
        }
    }

    /// Totals for `paperboy stats`.
    public func statistics() async throws -> StoreStatistics {
        let files = isFile ? [location, location + "-wal"] : []
        return try await access("cannot compute statistics") { writer in
            var statistics = try await writer.read { db in try PaperQueries.statistics(db) }
            if !files.isEmpty {
                statistics.sizeOnDisk = files.reduce(Int64(0)) { total, path in
                    let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
                    return total + (size?.int64Value ?? 0)
                }
            }
            return statistics
        }
    }

    // MARK: - Change tracking

    /// A random identity fixed when the store was created.
    public func identity() async throws -> String {
        try await access("cannot read the store identity") { writer in
            try await writer.read { db in try PaperQueries.identity(db) }
        }
    }

    /// The store's generation: 0 for an empty store, advanced by one by every write that
    /// changed something. An index built at generation `g` is current while this returns `g`.
    public func generation() async throws -> Int64 {
        try await access("cannot read the generation") { writer in
            try await writer.read { db in try PaperQueries.generation(db) }
        }
    }

    /// Papers changed after generation `revision`, oldest change first, and the ids that were
    /// merged away meanwhile. Pages hold whole generations: at least `limit` papers unless fewer
    /// changed, so a page may exceed `limit` by up to one batch. Continue from the returned
    /// `revision` until `papers` comes back empty.
    public func papersChanged(since revision: Int64, limit: Int) async throws -> PaperChanges {
        try await access("cannot list papers changed since generation \(revision)") { writer in
            try await writer.read { db in try PaperQueries.changes(db, since: revision, limit: max(1, limit)) }
        }
    }

    /// Runs `body`, reporting any failure as a storage error naming the file and what failed.
    func access<T>(_ what: String, _ body: (any DatabaseWriter) async throws -> T) async throws -> T {
        do {
            return try await body(writer)
        } catch let error as PaperboyError {
            throw PaperboyError(error.code, "\(location): \(what): \(error.message)", cause: error.cause)
        } catch {
            throw PaperboyError(.storage, "\(location): \(what)", cause: error)
        }
    }
}
