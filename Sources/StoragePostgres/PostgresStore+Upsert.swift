import Foundation
import PaperboyCore
import PostgresNIO

extension PostgresStore {
    /// Merges the papers in order, in one transaction: every paper is written, or none is.
    public func upsert(_ papers: [Paper]) async throws -> UpsertCounts {
        guard !papers.isEmpty else { return UpsertCounts() }
        return try await upsert(papers, what: "cannot upsert \(papers.count) papers (nothing was written)") { _ in }
    }

    /// Merges `papers` in one transaction and runs `alongside` in it, so what it writes (a
    /// harvest cursor) commits or rolls back with the papers.
    ///
    /// Writers take turns on the `store_meta` row (`FOR UPDATE`) for the whole transaction:
    /// each batch reads the store as the previous one left it, and generations are handed out
    /// in commit order, so a node reading changes after generation `g` never misses one that
    /// commits later with a smaller number.
    func upsert(
        _ papers: [Paper], what: @autoclosure () -> String,
        alongside: @escaping (PostgresConnection) async throws -> Void
    ) async throws -> UpsertCounts {
        let incoming = try papers.map { paper in
            if let problem = paper.validationProblem {
                throw PaperboyError(.invalidInput, "paper \(paper.id): \(problem)")
            }
            let normalized = PaperColumns.normalized(paper)
            return (paper: normalized, titleKey: TitleKey.normalize(normalized.title))
        }
        return try await write(what()) { connection in
            let revision = try await lockGeneration(connection) + 1
            let stored = try await reachableRecords(of: incoming, connection)
            var merge = BatchMerge(stored: stored.papers, aliases: stored.aliases)
            for paper in incoming {
                merge.merge(paper.paper, titleKey: paper.titleKey)
            }
            try await write(merge, revision: revision, connection)
            if merge.counts.inserted + merge.counts.updated > 0 || merge.wroteAlias {
                try await connection.query("UPDATE store_meta SET generation = \(revision) WHERE id = 1", logger: logger)
                // Delivered at commit, and only if it commits: other nodes catch up at once.
                try await connection.query("SELECT pg_notify(\(Self.changeChannel), \(String(revision)))", logger: logger)
            }
            try await alongside(connection)
            return merge.counts
        }
    }

    /// Takes the writers' turn and returns the current generation.
    func lockGeneration(_ connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT generation FROM store_meta WHERE id = 1 FOR UPDATE", logger: logger)
        for try await generation in rows.decode(Int64.self) { return generation }
        throw PaperboyError(.storage, "store_meta has no row: the schema is damaged")
    }

    /// Every stored record the batch could merge with (by id, alias, DOI or title key) and the
    /// stored aliases of its ids: two queries, whatever the batch's size.
    private func reachableRecords(
        of incoming: [(paper: Paper, titleKey: String)], _ connection: PostgresConnection
    ) async throws -> (papers: [(paper: Paper, titleKey: String)], aliases: [(old: PaperID, paper: PaperID)]) {
        let ids = Array(Set(incoming.map(\.paper.id.rawValue)))
        var aliases: [(old: PaperID, paper: PaperID)] = []
        let aliasRows = try await connection.query(
            "SELECT old_id, paper_id FROM paper_aliases WHERE old_id = ANY(\(ids))", logger: logger)
        for try await (old, paper) in aliasRows.decode((String, String).self) {
            if let old = PaperID(old), let paper = PaperID(paper) { aliases.append((old, paper)) }
        }
        let lookups = Array(Set(ids + aliases.map(\.paper.rawValue)))
        let dois = Array(Set(incoming.compactMap(\.paper.doi)))
        let keys = Array(Set(incoming.map(\.titleKey).filter { !$0.isEmpty }))
        let rows = try await connection.query("""
            SELECT \(unescaped: PaperRows.selection) FROM papers
            WHERE id = ANY(\(lookups)) OR doi = ANY(\(dois)) OR title_key = ANY(\(keys))
            """, logger: logger)
        var papers: [(paper: Paper, titleKey: String)] = []
        for try await row in rows {
            let columns = try PaperRows.decode(row)
            papers.append((try columns.paper(), columns.titleKey))
        }
        return (papers, aliases)
    }

    /// Writes what the merge changed: new papers in multi-row inserts, changed ones row by row
    /// (moving a row to its stronger id carries its aliases, vectors, votes and saves along by
    /// `ON UPDATE CASCADE`), then categories, aliases, and the vectors whose text changed.
    private func write(_ merge: BatchMerge, revision: Int64, _ connection: PostgresConnection) async throws {
        let inserted = merge.inserted
        for chunk in inserted.chunked(by: 1000) {
            var bindings = PostgresBindings(capacity: chunk.count * PaperRows.insertionCount)
            for record in chunk {
                PaperRows.append(PaperColumns(record.paper, titleKey: record.titleKey), revision: revision, to: &bindings)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO papers (\(PaperRows.insertion))
                VALUES \(PaperRows.placeholders(rows: chunk.count, columns: PaperRows.insertionCount))
                """, binds: bindings), logger: logger)
        }
        var categories = inserted.map(\.paper)
        var staleVectors: [String] = []
        for record in merge.updated {
            guard let storedID = record.storedID, let stored = record.stored else { continue }
            var bindings = PostgresBindings(capacity: PaperRows.insertionCount + 1)
            PaperRows.append(PaperColumns(record.paper, titleKey: record.titleKey), revision: revision, to: &bindings)
            bindings.append(storedID.rawValue)
            let assignments = PaperRows.insertion.split(separator: ",").enumerated()
                .map { "\($0.element.trimmingCharacters(in: .whitespaces)) = $\($0.offset + 1)" }
                .joined(separator: ", ")
            try await connection.query(PostgresQuery(unsafeSQL: """
                UPDATE papers SET \(assignments) WHERE id = $\(PaperRows.insertionCount + 1)
                """, binds: bindings), logger: logger)
            if record.paper.categories != stored.categories || record.paper.id != storedID {
                try await connection.query(
                    "DELETE FROM paper_categories WHERE paper_id = \(storedID.rawValue)", logger: logger)
                categories.append(record.paper)
            }
            if record.paper.title != stored.title || record.paper.abstract != stored.abstract {
                // The embedding text changed: its vectors no longer describe it.
                staleVectors.append(record.paper.id.rawValue)
            }
        }
        try await insertCategories(of: categories, connection)
        let aliases = merge.newAliases
        for chunk in aliases.chunked(by: 5000) {
            var bindings = PostgresBindings(capacity: chunk.count * 3)
            for alias in chunk {
                bindings.append(alias.old.rawValue)
                bindings.append(alias.paper.rawValue)
                bindings.append(revision)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO paper_aliases (old_id, paper_id, revision)
                VALUES \(PaperRows.placeholders(rows: chunk.count, columns: 3)) ON CONFLICT DO NOTHING
                """, binds: bindings), logger: logger)
        }
        if !staleVectors.isEmpty {
            try await connection.query("DELETE FROM paper_vectors WHERE paper_id = ANY(\(staleVectors))", logger: logger)
        }
    }

    private func insertCategories(of papers: [Paper], _ connection: PostgresConnection) async throws {
        let pairs = papers.flatMap { paper in paper.categories.map { ($0, paper.id.rawValue) } }
        for chunk in pairs.chunked(by: 10_000) {
            var bindings = PostgresBindings(capacity: chunk.count * 2)
            for (category, id) in chunk {
                bindings.append(category)
                bindings.append(id)
            }
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO paper_categories (category, paper_id)
                VALUES \(PaperRows.placeholders(rows: chunk.count, columns: 2)) ON CONFLICT DO NOTHING
                """, binds: bindings), logger: logger)
        }
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
