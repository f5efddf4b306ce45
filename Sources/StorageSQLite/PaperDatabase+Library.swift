import Foundation
import GRDB
import PaperboyCore

/// Readers' libraries in `library_tags`, `library_saves` and `library_revisions` (migration
/// `v8 library`); see `LibraryStore`.
///
/// Every change is one write transaction that also advances the reader's revision when, and
/// only when, a row changed, so a reader of `library(of:)` sees a revision and the saves it
/// numbers together.
extension PaperDatabase: LibraryStore {
    public func save(_ papers: [PaperID], under tag: LibraryTag, for reader: ReaderID, at now: Date) async throws -> LibrarySaveOutcome {
        try await access("cannot save \(papers.count) papers under the tag \"\(tag)\" for reader \(reader) (none was saved)") { writer in
            try await writer.write { db in
                let tagID = try Self.makeTagID(db, tag, reader: reader)
                var outcome = LibrarySaveOutcome(tag: try String.fetchOne(db, sql: "SELECT name FROM library_tags WHERE id = ?",
                                                                          arguments: [tagID]) ?? tag.name, papers: [])
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO library_saves (tag_id, paper_id, saved_at) VALUES (?, ?, ?) ON CONFLICT (tag_id, paper_id) DO NOTHING
                    """)
                for id in papers {
                    guard let current = try Self.currentID(db, of: id) else {
                        outcome.papers.append(.unknown(id))
                        continue
                    }
                    try insert.execute(arguments: [tagID, current.rawValue, now.timeIntervalSince1970])
                    outcome.papers.append(db.changesCount > 0 ? .added(current) : .alreadySaved(current))
                }
                if outcome.added.isEmpty {
                    // Nothing was saved: a tag created for this call alone must not linger empty.
                    try db.execute(sql: """
                        DELETE FROM library_tags WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM library_saves WHERE tag_id = ?1)
                        """, arguments: [tagID])
                } else {
                    try Self.advanceRevision(db, of: reader)
                }
                return outcome
            }
        }
    }

    public func remove(_ paper: PaperID, from tag: LibraryTag?, for reader: ReaderID) async throws -> Int {
        try await access("cannot remove \(paper) from the library of reader \(reader)") { writer in
            try await writer.write { db in
                guard let current = try Self.currentID(db, of: paper) else { return 0 }
                let tagIDs: [Int64]
                if let tag {
                    tagIDs = try Self.tagID(db, tag, reader: reader).map { [$0] } ?? []
                } else {
                    tagIDs = try Int64.fetchAll(db, sql: "SELECT id FROM library_tags WHERE reader_id = ?", arguments: [reader.rawValue])
                }
                var removed = 0
                for tagID in tagIDs {
                    try db.execute(sql: "DELETE FROM library_saves WHERE tag_id = ? AND paper_id = ?", arguments: [tagID, current.rawValue])
                    removed += db.changesCount
                }
                if removed > 0 {
                    try Self.dropEmptyTags(db, of: reader)
                    try Self.advanceRevision(db, of: reader)
                }
                return removed
            }
        }
    }

    public func removeTag(_ tag: LibraryTag, for reader: ReaderID) async throws -> Int {
        try await access("cannot remove the tag \"\(tag)\" of reader \(reader)") { writer in
            try await writer.write { db in
                guard let tagID = try Self.tagID(db, tag, reader: reader) else { return 0 }
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM library_saves WHERE tag_id = ?", arguments: [tagID]) ?? 0
                try db.execute(sql: "DELETE FROM library_tags WHERE id = ?", arguments: [tagID])
                try Self.advanceRevision(db, of: reader)
                return count
            }
        }
    }

    public func renameTag(_ tag: LibraryTag, to newName: LibraryTag, for reader: ReaderID) async throws -> Bool {
        try await access("cannot rename the tag \"\(tag)\" of reader \(reader) to \"\(newName)\"") { writer in
            try await writer.write { db in
                guard let tagID = try Self.tagID(db, tag, reader: reader) else { return false }
                if let target = try Self.tagID(db, newName, reader: reader), target != tagID {
                    // Onto another tag: its saves keep their dates, the moved ones theirs; a paper
                    // under both stays once, with its earlier save.
                    try db.execute(sql: """
                        INSERT INTO library_saves (tag_id, paper_id, saved_at)
                        SELECT ?1, paper_id, saved_at FROM library_saves WHERE tag_id = ?2 ORDER BY saved_at, id
                        ON CONFLICT (tag_id, paper_id) DO UPDATE SET saved_at = min(saved_at, excluded.saved_at)
                        """, arguments: [target, tagID])
                    try db.execute(sql: "DELETE FROM library_tags WHERE id = ?", arguments: [tagID])
                    try db.execute(sql: "UPDATE library_tags SET name = ? WHERE id = ?", arguments: [newName.name, target])
                } else {
                    let old = try String.fetchOne(db, sql: "SELECT name FROM library_tags WHERE id = ?", arguments: [tagID])
                    guard old != newName.name else { return true }
                    try db.execute(sql: "UPDATE library_tags SET name = ?, folded_name = ? WHERE id = ?",
                                   arguments: [newName.name, newName.key, tagID])
                }
                try Self.advanceRevision(db, of: reader)
                return true
            }
        }
    }

    public func library(of reader: ReaderID) async throws -> ReaderLibrary {
        try await access("cannot read the library of reader \(reader)") { writer in
            try await writer.read { db in
                let revision = try Int64.fetchOne(db, sql: "SELECT revision FROM library_revisions WHERE reader_id = ?",
                                                  arguments: [reader.rawValue]) ?? 0
                let saved = try Row.fetchAll(db, sql: """
                    SELECT t.name, s.paper_id, s.saved_at FROM library_saves s JOIN library_tags t ON t.id = s.tag_id
                    WHERE t.reader_id = ? ORDER BY s.saved_at, s.id
                    """, arguments: [reader.rawValue]).compactMap { row -> SavedPaper? in
                    guard let id = PaperID(row["paper_id"] as String) else { return nil }
                    return SavedPaper(paper: id, tag: row["name"], savedAt: Date(timeIntervalSince1970: row["saved_at"]))
                }
                return ReaderLibrary(reader: reader, revision: revision, saved: saved)
            }
        }
    }

    public func tagSummaries(of reader: ReaderID) async throws -> [TagSummary] {
        try await access("cannot list the tags of reader \(reader)") { writer in
            try await writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT t.name, count(*) AS papers, max(s.saved_at) AS last_saved
                    FROM library_tags t JOIN library_saves s ON s.tag_id = t.id
                    WHERE t.reader_id = ? GROUP BY t.id ORDER BY t.folded_name, t.id
                    """, arguments: [reader.rawValue]).map { row in
                    TagSummary(name: row["name"], count: row["papers"], lastSaved: Date(timeIntervalSince1970: row["last_saved"]))
                }
            }
        }
    }

    // MARK: - Helpers inside a transaction

    /// The id the store holds `id`'s paper under (following an alias), or nil when no paper
    /// answers to it. A `doi:` id also finds the paper that carries the DOI under a stronger
    /// id (an arXiv paper with its journal DOI): reference managers often cite by DOI alone.
    private static func currentID(_ db: Database, of id: PaperID) throws -> PaperID? {
        let statement = try db.cachedStatement(sql: """
            SELECT id FROM papers WHERE id = coalesce((SELECT paper_id FROM paper_aliases WHERE old_id = ?1), ?1)
            """)
        if let found = try String.fetchOne(statement, arguments: [id.rawValue]) { return PaperID(found) }
        guard id.kind == .doi else { return nil }
        let byDOI = try db.cachedStatement(sql: "SELECT id FROM papers WHERE doi = ? ORDER BY id_kind DESC, id LIMIT 1")
        let doi = String(id.rawValue.dropFirst("doi:".count))
        return try String.fetchOne(byDOI, arguments: [doi]).flatMap { PaperID($0) }
    }

    /// The row of the reader's tag `tag` (any case), nil when the reader has none.
    private static func tagID(_ db: Database, _ tag: LibraryTag, reader: ReaderID) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM library_tags WHERE reader_id = ? AND folded_name = ?",
                           arguments: [reader.rawValue, tag.key])
    }

    /// The row of the reader's tag `tag`, made (with this spelling) when missing.
    private static func makeTagID(_ db: Database, _ tag: LibraryTag, reader: ReaderID) throws -> Int64 {
        if let id = try tagID(db, tag, reader: reader) { return id }
        try db.execute(sql: "INSERT INTO library_tags (reader_id, name, folded_name) VALUES (?, ?, ?)",
                       arguments: [reader.rawValue, tag.name, tag.key])
        return db.lastInsertedRowID
    }

    private static func dropEmptyTags(_ db: Database, of reader: ReaderID) throws {
        try db.execute(sql: """
            DELETE FROM library_tags WHERE reader_id = ? AND NOT EXISTS (SELECT 1 FROM library_saves WHERE tag_id = library_tags.id)
            """, arguments: [reader.rawValue])
    }

    private static func advanceRevision(_ db: Database, of reader: ReaderID) throws {
        try db.execute(sql: """
            INSERT INTO library_revisions (reader_id, revision) VALUES (?, 1)
            ON CONFLICT (reader_id) DO UPDATE SET revision = revision + 1
            """, arguments: [reader.rawValue])
    }
}
