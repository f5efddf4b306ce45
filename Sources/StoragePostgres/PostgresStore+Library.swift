import Foundation
import PaperboyCore
import PostgresNIO

/// Readers' libraries in `library_tags`, `library_saves` and `library_revisions` (migration
/// `v4 library`); see `LibraryStore`.
///
/// Every change is one write transaction that also advances the reader's revision when, and
/// only when, a row changed, so a reader of `library(of:)` sees a revision and the saves it
/// numbers together (it reads in one snapshot). Rows two nodes may make at once (a tag, a
/// revision) are made with `ON CONFLICT`, so the second waits for the first and uses its row.
extension PostgresStore: LibraryStore {
    public func save(_ papers: [PaperID], under tag: LibraryTag, for reader: ReaderID, at now: Date) async throws -> LibrarySaveOutcome {
        try await write("cannot save \(papers.count) papers under the tag \"\(tag)\" for reader \(reader) (none was saved)") { connection in
            let (tagID, name) = try await makeTag(tag, reader: reader, on: connection)
            var outcome = LibrarySaveOutcome(tag: name, papers: [])
            for id in papers {
                guard let current = try await currentID(of: id, on: connection) else {
                    outcome.papers.append(.unknown(id))
                    continue
                }
                let added = try await connection.query("""
                    INSERT INTO library_saves (tag_id, paper_id, saved_at) VALUES (\(tagID), \(current.rawValue), \(now.timeIntervalSince1970))
                    ON CONFLICT (tag_id, paper_id) DO NOTHING RETURNING id
                    """, logger: logger).collect().count
                outcome.papers.append(added > 0 ? .added(current) : .alreadySaved(current))
            }
            if outcome.added.isEmpty {
                // Nothing was saved: a tag created for this call alone must not linger empty.
                try await connection.query("""
                    DELETE FROM library_tags WHERE id = \(tagID) AND NOT EXISTS (SELECT 1 FROM library_saves WHERE tag_id = \(tagID))
                    """, logger: logger)
            } else {
                try await advanceRevision(of: reader, on: connection)
            }
            return outcome
        }
    }

    public func remove(_ paper: PaperID, from tag: LibraryTag?, for reader: ReaderID) async throws -> Int {
        try await write("cannot remove \(paper) from the library of reader \(reader)") { connection in
            guard let current = try await currentID(of: paper, on: connection) else { return 0 }
            let removed: Int
            if let tag {
                removed = try await connection.query("""
                    DELETE FROM library_saves s USING library_tags t
                    WHERE s.tag_id = t.id AND t.reader_id = \(reader.rawValue) AND t.folded_name = \(tag.key) AND s.paper_id = \(current.rawValue)
                    RETURNING s.id
                    """, logger: logger).collect().count
            } else {
                removed = try await connection.query("""
                    DELETE FROM library_saves s USING library_tags t
                    WHERE s.tag_id = t.id AND t.reader_id = \(reader.rawValue) AND s.paper_id = \(current.rawValue)
                    RETURNING s.id
                    """, logger: logger).collect().count
            }
            if removed > 0 {
                try await connection.query("""
                    DELETE FROM library_tags WHERE reader_id = \(reader.rawValue)
                        AND NOT EXISTS (SELECT 1 FROM library_saves WHERE tag_id = library_tags.id)
                    """, logger: logger)
                try await advanceRevision(of: reader, on: connection)
            }
            return removed
        }
    }

    public func removeTag(_ tag: LibraryTag, for reader: ReaderID) async throws -> Int {
        try await write("cannot remove the tag \"\(tag)\" of reader \(reader)") { connection in
            guard let tagID = try await findTag(tag, reader: reader, on: connection) else { return 0 }
            // Deleted here rather than by the cascade, to count them.
            let count = try await connection.query("DELETE FROM library_saves WHERE tag_id = \(tagID) RETURNING id", logger: logger)
                .collect().count
            try await connection.query("DELETE FROM library_tags WHERE id = \(tagID)", logger: logger)
            try await advanceRevision(of: reader, on: connection)
            return count
        }
    }

    public func renameTag(_ tag: LibraryTag, to newName: LibraryTag, for reader: ReaderID) async throws -> Bool {
        try await write("cannot rename the tag \"\(tag)\" of reader \(reader) to \"\(newName)\"") { connection in
            guard let tagID = try await findTag(tag, reader: reader, on: connection) else { return false }
            if let target = try await findTag(newName, reader: reader, on: connection), target != tagID {
                // Onto another tag: its saves keep their dates, the moved ones theirs; a paper
                // under both stays once, with its earlier save.
                try await connection.query("""
                    INSERT INTO library_saves (tag_id, paper_id, saved_at)
                    SELECT \(target), paper_id, saved_at FROM library_saves WHERE tag_id = \(tagID) ORDER BY saved_at, id
                    ON CONFLICT (tag_id, paper_id) DO UPDATE SET saved_at = least(library_saves.saved_at, excluded.saved_at)
                    """, logger: logger)
                try await connection.query("DELETE FROM library_tags WHERE id = \(tagID)", logger: logger)
                try await connection.query("UPDATE library_tags SET name = \(newName.name) WHERE id = \(target)", logger: logger)
            } else {
                let renamed = try await connection.query("""
                    UPDATE library_tags SET name = \(newName.name), folded_name = \(newName.key)
                    WHERE id = \(tagID) AND name <> \(newName.name) RETURNING id
                    """, logger: logger).collect().count
                guard renamed > 0 else { return true }  // the same spelling: nothing changed
            }
            try await advanceRevision(of: reader, on: connection)
            return true
        }
    }

    public func library(of reader: ReaderID) async throws -> ReaderLibrary {
        try await snapshot("cannot read the library of reader \(reader)") { connection in
            var revision: Int64 = 0
            for try await value in try await connection.query(
                "SELECT revision FROM library_revisions WHERE reader_id = \(reader.rawValue)", logger: logger).decode(Int64.self) {
                revision = value
            }
            let rows = try await connection.query("""
                SELECT t.name, s.paper_id, s.saved_at FROM library_saves s JOIN library_tags t ON t.id = s.tag_id
                WHERE t.reader_id = \(reader.rawValue) ORDER BY s.saved_at, s.id
                """, logger: logger)
            var saved: [SavedPaper] = []
            for try await (name, paper, savedAt) in rows.decode((String, String, Double).self) {
                guard let id = PaperID(paper) else { continue }
                saved.append(SavedPaper(paper: id, tag: name, savedAt: Date(timeIntervalSince1970: savedAt)))
            }
            return ReaderLibrary(reader: reader, revision: revision, saved: saved)
        }
    }

    public func tagSummaries(of reader: ReaderID) async throws -> [TagSummary] {
        try await read("cannot list the tags of reader \(reader)") { connection in
            let rows = try await connection.query("""
                SELECT t.name, count(*), max(s.saved_at)
                FROM library_tags t JOIN library_saves s ON s.tag_id = t.id
                WHERE t.reader_id = \(reader.rawValue) GROUP BY t.id ORDER BY t.folded_name COLLATE "C", t.id
                """, logger: logger)
            var summaries: [TagSummary] = []
            for try await (name, count, lastSaved) in rows.decode((String, Int, Double).self) {
                summaries.append(TagSummary(name: name, count: count, lastSaved: Date(timeIntervalSince1970: lastSaved)))
            }
            return summaries
        }
    }

    // MARK: - Helpers inside a transaction

    /// The id the store holds `id`'s paper under (following an alias), or nil when no paper
    /// answers to it. A `doi:` id also finds the paper that carries the DOI under a stronger
    /// id (an arXiv paper with its journal DOI): reference managers often cite by DOI alone.
    private func currentID(of id: PaperID, on connection: PostgresConnection) async throws -> PaperID? {
        let found = try await connection.query("""
            SELECT id FROM papers WHERE id = coalesce((SELECT paper_id FROM paper_aliases WHERE old_id = \(id.rawValue)), \(id.rawValue))
            """, logger: logger)
        for try await current in found.decode(String.self) { return PaperID(current) }
        guard id.kind == .doi else { return nil }
        let doi = String(id.rawValue.dropFirst("doi:".count))
        let byDOI = try await connection.query("SELECT id FROM papers WHERE doi = \(doi) ORDER BY id_kind DESC, id LIMIT 1", logger: logger)
        for try await current in byDOI.decode(String.self) { return PaperID(current) }
        return nil
    }

    /// The row of the reader's tag `tag` (any case), nil when the reader has none.
    private func findTag(_ tag: LibraryTag, reader: ReaderID, on connection: PostgresConnection) async throws -> Int64? {
        let rows = try await connection.query("""
            SELECT id FROM library_tags WHERE reader_id = \(reader.rawValue) AND folded_name = \(tag.key)
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        return nil
    }

    /// The row of the reader's tag `tag` and its spelling, made (with this spelling) when
    /// missing. Another node making the same tag at once: the insert waits for it and then
    /// does nothing, and the select reads its row.
    private func makeTag(_ tag: LibraryTag, reader: ReaderID, on connection: PostgresConnection) async throws -> (Int64, String) {
        try await connection.query("""
            INSERT INTO library_tags (reader_id, name, folded_name) VALUES (\(reader.rawValue), \(tag.name), \(tag.key))
            ON CONFLICT (reader_id, folded_name) DO NOTHING
            """, logger: logger)
        let rows = try await connection.query("""
            SELECT id, name FROM library_tags WHERE reader_id = \(reader.rawValue) AND folded_name = \(tag.key)
            """, logger: logger)
        for try await row in rows.decode((Int64, String).self) { return row }
        // Only when another transaction deleted the tag between the two statements.
        throw PaperboyError(.storage, "the tag \"\(tag)\" went away while saving under it; try again")
    }

    private func advanceRevision(of reader: ReaderID, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO library_revisions (reader_id, revision) VALUES (\(reader.rawValue), 1)
            ON CONFLICT (reader_id) DO UPDATE SET revision = library_revisions.revision + 1
            """, logger: logger)
    }
}
