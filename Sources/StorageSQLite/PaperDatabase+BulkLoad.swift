import GRDB
import PaperboyCore

extension PaperDatabase {
    /// Indexes a bulk load into an empty store builds once at the end instead of row by row.
    ///
    /// Two of them have random keys (title hash, DOI): maintained per row, every commit
    /// rewrites most of their pages, which made them the largest cost of a snapshot import.
    /// Built by sorting afterwards (on two threads) they cost a few seconds per million
    /// papers. The statements repeat the `v1 papers` migration's definitions, which never
    /// change; lookups a bulk load makes (by id, and the two partial indexes of weak records)
    /// are never deferred.
    static let deferredIndexes: [(name: String, sql: String)] = [
        ("papers_on_doi", "CREATE INDEX IF NOT EXISTS papers_on_doi ON papers(doi) WHERE doi IS NOT NULL"),
        ("papers_on_title_hash", "CREATE INDEX IF NOT EXISTS papers_on_title_hash ON papers(title_hash)"),
        ("papers_on_published", "CREATE INDEX IF NOT EXISTS papers_on_published ON papers(published, id)"),
        ("papers_on_revision", "CREATE INDEX IF NOT EXISTS papers_on_revision ON papers(revision, id)"),
        ("papers_on_primary_category", "CREATE INDEX IF NOT EXISTS papers_on_primary_category ON papers(primary_category, sources)"),
    ]

    /// Builds whichever deferred index is missing: at the end of a bulk load, and at every
    /// open, so a load killed midway leaves a store that heals when next opened.
    static func buildDeferredIndexes(_ db: Database) throws {
        try db.execute(sql: "PRAGMA threads = 2")
        for index in deferredIndexes {
            try db.execute(sql: index.sql)
        }
    }

    /// Drops the deferred indexes when the store is empty; otherwise does nothing, since
    /// rebuilding indexes over papers already stored would cost more than it saves.
    public func beginBulkLoad() async throws {
        try await writer.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM papers)") == false else { return }
            for index in Self.deferredIndexes {
                try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)")
            }
        }
    }

    /// Builds the indexes `beginBulkLoad` dropped.
    public func endBulkLoad() async throws {
        try await writer.write(Self.buildDeferredIndexes)
    }
}
