import GRDB
import PaperboyCore

/// One `upsert` batch inside its write transaction: merges each paper into the record for the
/// same paper and writes only what changed.
///
/// Papers are looked up one at a time inside the transaction, so a paper repeated in a batch
/// meets its own earlier write exactly as if it had been upserted in a separate call.
/// Statements are prepared once per connection and driven through `RawStatement`.
struct BatchUpsert {
    /// The generation this batch writes: rows it changes get it as their revision, and the
    /// store's generation becomes it when the batch changed anything.
    let revision: Int64
    private(set) var counts = UpsertCounts()
    /// Whether the batch added an alias, which changes the store even when no paper changed.
    private var wroteAlias = false
    /// Reused for the authors' JSON when comparing a paper with its stored row.
    private var scratch: [UInt8] = []

    private let db: Database
    private let byID: RawStatement
    private let byDOI: RawStatement
    private let weakByDOI: RawStatement
    private let byTitleKey: RawStatement
    private let titleOnlyByTitleKey: RawStatement
    private let insertPaper: RawStatement
    private let updatePaper: RawStatement
    private let movePaper: RawStatement
    private let insertCategory: RawStatement
    private let deleteCategory: RawStatement
    private let insertAlias: RawStatement
    private let deleteVectors: RawStatement

    init(_ db: Database) throws {
        self.db = db
        revision = try PaperQueries.generation(db) + 1
        // Follows an alias first, so an id that was merged away finds the paper it became.
        byID = try RawStatement(db, sql: """
            SELECT \(PaperRow.selection) FROM papers
            WHERE id = coalesce((SELECT paper_id FROM paper_aliases WHERE old_id = ?1), ?1)
            """)
        // Any record with the DOI, for a DOI-only or title-only incoming record.
        byDOI = try RawStatement(db, sql: """
            SELECT \(PaperRow.selection) FROM papers WHERE doi = ?1 ORDER BY id_kind DESC, id LIMIT 1
            """)
        // Only DOI-only or title-only records, for an arXiv record: two arXiv ids are never one
        // paper. The small partial index keeps this probe cheap on every arXiv insert.
        weakByDOI = try RawStatement(db, sql: """
            SELECT \(PaperRow.selection) FROM papers INDEXED BY weak_papers_on_doi
            WHERE doi = ?1 AND id_kind < 2 AND doi IS NOT NULL ORDER BY id_kind DESC, id LIMIT 1
            """)
        // Any record with the title, for a title-only incoming record.
        byTitleKey = try RawStatement(db, sql: """
            SELECT \(PaperRow.selection) FROM papers WHERE title_hash = ?1 AND title_key = ?2
            ORDER BY id_kind DESC, id LIMIT 1
            """)
        // Only title-only records, for a record that has an arXiv id or a DOI. There is at
        // most one: a title-only record's id is derived from its title key.
        titleOnlyByTitleKey = try RawStatement(db, sql: """
            SELECT \(PaperRow.selection) FROM papers INDEXED BY title_only_papers_on_title_hash
            WHERE title_hash = ?1 AND title_key = ?2 AND id_kind = 0 LIMIT 1
            """)
        insertPaper = try RawStatement(db, sql: """
            INSERT INTO papers (\(PaperRow.insertion)) VALUES (\(PaperRow.insertionPlaceholders))
            """)
        updatePaper = try RawStatement(db, sql: "UPDATE papers SET \(PaperRow.assignments) WHERE id = ?1")
        movePaper = try RawStatement(db, sql: """
            UPDATE papers SET id = ?1, \(PaperRow.assignments) WHERE id = ?\(PaperRow.insertionCount + 1)
            """)
        insertCategory = try RawStatement(db, sql: "INSERT OR IGNORE INTO paper_categories (category, paper_id) VALUES (?1, ?2)")
        deleteCategory = try RawStatement(db, sql: "DELETE FROM paper_categories WHERE category = ?1 AND paper_id = ?2")
        insertAlias = try RawStatement(db, sql: """
            INSERT OR IGNORE INTO paper_aliases (old_id, paper_id, revision) VALUES (?1, ?2, ?3)
            """)
        deleteVectors = try RawStatement(db, sql: "DELETE FROM paper_vectors WHERE paper_id = ?1")
    }

    /// Validates and encodes a paper for `upsert(_:)`. It runs before the write transaction,
    /// beside the single writer, so the writer only looks up and writes.
    static func encode(_ incoming: Paper) throws -> PaperRow.Encoded {
        if let problem = incoming.validationProblem {
            throw PaperboyError(.invalidInput, "paper \(incoming.id): \(problem)")
        }
        return PaperRow.Encoded(PaperRow.normalized(incoming))
    }

    /// Merges one paper, encoded by `encode(_:)`, into the store and counts how it fared.
    mutating func upsert(_ encoded: PaperRow.Encoded) throws {
        let paper = encoded.paper
        var titleKey: String? = encoded.titleKey
        let lookup = try findExisting(paper, titleKey: &titleKey)
        guard case .stored(let existing) = lookup else {
            if case .identical = lookup {
                counts.unchanged += 1
                return
            }
            PaperRow.bind(encoded, revision: revision, to: insertPaper)
            try insertPaper.execute()
            try insertCategories(of: paper)
            counts.inserted += 1
            return
        }
        var merged = existing.paper.merged(with: paper)
        if merged.id.kind <= existing.paper.id.kind {
            // The stored id stays unless the merge brought a stronger one. (Two different ids of
            // the same strength only meet when a title id was derived from another title form.)
            merged.id = existing.paper.id
        }
        if !existing.foundByID && paper.id != merged.id {
            // The incoming id (a title or DOI id) now names this paper: a later record with the
            // same id, or a reader holding it, finds the paper directly whichever came first.
            try addAlias(paper.id, for: merged.id)
            wroteAlias = true
        }
        if merged == existing.paper {
            counts.unchanged += 1
            return
        }
        try write(merged, over: existing, incoming: paper, incomingTitleKey: titleKey)
        counts.updated += 1
    }

    /// Records the batch's generation when it changed anything; call once, after the last paper.
    func finish() throws {
        guard counts.inserted + counts.updated > 0 || wroteAlias else { return }
        try db.execute(sql: "UPDATE store_meta SET generation = ? WHERE id = 1", arguments: [revision])
    }

    /// Replaces the stored record with `merged`, moving it when it learned a stronger id.
    private func write(_ merged: Paper, over existing: Existing, incoming: Paper, incomingTitleKey: String?) throws {
        let titleKey = if merged.title == existing.paper.title {
            existing.titleKey
        } else if merged.title == incoming.title, let incomingTitleKey {
            incomingTitleKey
        } else {
            TitleKey.normalize(merged.title)
        }
        if merged.id == existing.paper.id {
            PaperRow.bind(merged, titleKey: titleKey, revision: revision, to: updatePaper)
            try updatePaper.execute()
        } else {
            // The record learned a stronger id: move the row (its aliases follow through ON
            // UPDATE CASCADE) and keep the old id resolving to it.
            PaperRow.bind(merged, titleKey: titleKey, revision: revision, to: movePaper)
            movePaper.bind(existing.paper.id.rawValue, at: PaperRow.insertionCount + 1)
            try movePaper.execute()
            try addAlias(existing.paper.id, for: merged.id)
        }
        if merged.categories != existing.paper.categories || merged.id != existing.paper.id {
            for category in existing.paper.categories {
                deleteCategory.bind(category, at: 1)
                deleteCategory.bind(existing.paper.id.rawValue, at: 2)
                try deleteCategory.execute()
            }
            try insertCategories(of: merged)
        }
        if merged.title != existing.paper.title || merged.abstract != existing.paper.abstract {
            // The embedding text changed: its vectors (moved here by ON UPDATE CASCADE) no
            // longer describe it. Dropping them is what keeps every stored vector current.
            deleteVectors.bind(merged.id.rawValue, at: 1)
            try deleteVectors.execute()
        }
    }

    /// A stored paper and the title key stored with it.
    private struct Existing {
        var paper: Paper
        var titleKey: String
        /// Whether the incoming id (or an alias of it) found the record.
        var foundByID: Bool
    }

    /// What looking a paper up found.
    private enum Lookup {
        case none
        /// The paper's own row, already holding exactly this record.
        case identical
        case stored(Existing)
    }

    /// The stored record for the same paper: by id (or alias), then DOI, then normalized title
    /// when either side is known by title only. Sets `titleKey` when it had to compute it.
    private mutating func findExisting(_ paper: Paper, titleKey: inout String?) throws -> Lookup {
        byID.bind(paper.id.rawValue, at: 1)
        let byIDResult: Lookup? = try byID.fetchFirst { statement in
            // The common re-import: the row already holds this record. Compared in place, it
            // costs no decoding at all.
            if StoredPaper.row(statement, holds: paper, scratch: &scratch) { return .identical }
            let stored = StoredPaper(sqliteStatement: statement, index: 0)
            return .stored(Existing(paper: try stored.paper(knownID: paper.id), titleKey: stored.titleKey, foundByID: true))
        }
        if let byIDResult { return byIDResult }
        if let doi = paper.doi {
            let statement = paper.id.kind == .arxiv ? weakByDOI : byDOI
            statement.bind(doi, at: 1)
            if let found = try fetchExisting(statement) { return .stored(found) }
        }
        let key = titleKey ?? TitleKey.normalize(paper.title)
        titleKey = key
        guard !key.isEmpty else { return .none }
        let statement = paper.id.kind == .title ? byTitleKey : titleOnlyByTitleKey
        statement.bind(TitleKey.storageHash(key), at: 1)
        statement.bind(key, at: 2)
        return try fetchExisting(statement).map(Lookup.stored) ?? .none
    }

    private func fetchExisting(_ statement: RawStatement) throws -> Existing? {
        guard let stored = try statement.fetchFirst({ StoredPaper(sqliteStatement: $0, index: 0) }) else { return nil }
        return Existing(paper: try stored.paper(), titleKey: stored.titleKey, foundByID: false)
    }

    private func insertCategories(of paper: Paper) throws {
        for category in paper.categories {
            insertCategory.bind(category, at: 1)
            insertCategory.bind(paper.id.rawValue, at: 2)
            try insertCategory.execute()
        }
    }

    private func addAlias(_ oldID: PaperID, for paperID: PaperID) throws {
        insertAlias.bind(oldID.rawValue, at: 1)
        insertAlias.bind(paperID.rawValue, at: 2)
        insertAlias.bind(revision, at: 3)
        try insertAlias.execute()
    }
}
