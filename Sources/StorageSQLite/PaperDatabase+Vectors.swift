import GRDB
import PaperboyCore

/// Embedding vectors in `paper_vectors` (migration `v3 paper vectors`).
///
/// Every stored vector is current: `saveVectors` accepts a vector only while its text hash is
/// the paper's, inside the write transaction, and `BatchUpsert` deletes a paper's vectors in
/// the same transaction that changes its title or abstract. So "needs a vector" is a plain
/// anti-join on an index and reading vectors never touches the papers; the alternative, a text
/// hash column on `papers`, would cost a SHA-256 on every imported paper and a backfill of
/// stores written before v3.
///
/// Vector writes leave `store_meta.generation` and the papers' revisions alone: they change no
/// paper, and the keyword index, which follows the generation, would otherwise catch up (or
/// rebuild) for nothing. They count on `store_meta.vector_sequence` instead, each vector
/// keeping its number in `saved` (migration `v10 vector sequence`).
extension PaperDatabase {
    /// Stores the vectors in one transaction; see `PaperStore.saveVectors(_:model:)`.
    @discardableResult
    public func saveVectors(_ vectors: [PaperVector], model: String) async throws -> Int {
        guard !vectors.isEmpty else { return 0 }
        return try await access("cannot save \(vectors.count) vectors of \(model) (nothing was written)") { writer in
            let batch = try VectorBatch(vectors, model: model)
            return try await writer.write { db in try batch.save(db) }
        }
    }

    /// Papers without a vector for `model`, by ascending id after `after`; see
    /// `PaperStore.papersNeedingVectors(model:after:limit:)`.
    ///
    /// Walks the primary key from `after` and probes `paper_vectors`' primary key for each
    /// paper, reading only the rows it returns, so a pass over the store costs one walk of the
    /// id index however many pages it takes.
    public func papersNeedingVectors(model: String, after: PaperID?, limit: Int) async throws -> [Paper] {
        guard limit > 0 else { return [] }
        return try await access("cannot list papers needing vectors of \(model)") { writer in
            try await writer.read { db in
                let statement = try db.cachedStatement(sql: """
                    SELECT \(PaperRow.selection) FROM papers
                    WHERE id > ?2 AND NOT EXISTS (
                        SELECT 1 FROM paper_vectors WHERE paper_vectors.paper_id = papers.id AND paper_vectors.model = ?1)
                    ORDER BY id LIMIT ?3
                    """)
                return try StoredPaper.fetchAll(statement, arguments: [model, after?.rawValue ?? "", limit])
                    .map { try $0.paper() }
            }
        }
    }

    /// Stored vectors of `model` by ascending paper id after `after`; see
    /// `PaperStore.vectors(model:after:limit:)`. Pages walk `paper_vectors_on_model`.
    public func vectors(model: String, after: PaperID?, limit: Int) async throws -> [PaperVector] {
        guard limit > 0 else { return [] }
        return try await access("cannot read vectors of \(model)") { writer in
            try await writer.read { db in
                let statement = try db.cachedStatement(sql: """
                    SELECT \(StoredVector.selection) FROM paper_vectors INDEXED BY paper_vectors_on_model
                    WHERE model = ?1 AND paper_id > ?2 ORDER BY paper_id LIMIT ?3
                    """)
                return try StoredVector.fetchAll(statement, arguments: [model, after?.rawValue ?? "", limit])
                    .map { try $0.paperVector() }
            }
        }
    }

    /// See `PaperStore.vectorSequence()`.
    public func vectorSequence() async throws -> Int64 {
        try await access("cannot read the vector sequence") { writer in
            try await writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT vector_sequence FROM store_meta WHERE id = 1") ?? 0
            }
        }
    }

    /// Vectors of `model` saved after `since`, oldest first; see
    /// `PaperStore.vectorsSaved(model:since:limit:)`. Pages walk `paper_vectors_by_saved`.
    public func vectorsSaved(model: String, since: Int64, limit: Int) async throws -> SavedVectors {
        guard limit > 0 else { return SavedVectors(vectors: [], sequence: since) }
        return try await access("cannot read vectors of \(model) saved since \(since)") { writer in
            try await writer.read { db in
                let page = """
                    SELECT %@ FROM paper_vectors INDEXED BY paper_vectors_by_saved
                    WHERE model = ?1 AND saved > ?2 ORDER BY saved LIMIT ?3
                    """
                let arguments: StatementArguments = [model, since, limit]
                let vectors = try StoredVector.fetchAll(
                    db.cachedStatement(sql: page.replacingOccurrences(of: "%@", with: StoredVector.selection)), arguments: arguments)
                let last = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT max(saved) FROM (\(page.replacingOccurrences(of: "%@", with: "saved")))"),
                    arguments: arguments)
                return SavedVectors(vectors: try vectors.map { try $0.paperVector() }, sequence: last ?? since)
            }
        }
    }

    /// How many papers have a vector for `model`, counted on `paper_vectors_on_model`.
    public func vectorCount(model: String) async throws -> Int {
        try await access("cannot count vectors of \(model)") { writer in
            try await writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_vectors WHERE model = ?", arguments: [model]) ?? 0
            }
        }
    }
}

/// One `saveVectors` batch: validated and encoded before the write lock, then checked against
/// the papers and written inside one transaction.
private struct VectorBatch: Sendable {
    struct Encoded: Sendable {
        var id: PaperID
        var textHash: String
        var blob: [UInt8]
    }

    let model: String
    let dimension: Int
    let vectors: [Encoded]

    /// Refuses the whole batch when a vector is invalid or the batch mixes lengths.
    init(_ vectors: [PaperVector], model: String) throws {
        dimension = try PaperVector.batchDimension(vectors, model: model)
        self.model = model
        self.vectors = vectors.map { vector in
            Encoded(id: vector.id, textHash: vector.textHash, blob: VectorBlob.encode(vector.vector))
        }
    }

    /// Writes every vector whose paper exists and still has the embedded text; returns how
    /// many. Throws, before writing, when `model` already stores vectors of another length.
    func save(_ db: Database) throws -> Int {
        if let stored = try Int.fetchOne(db, sql: "SELECT dimension FROM paper_vectors WHERE model = ? LIMIT 1", arguments: [model]),
           stored != dimension {
            throw PaperboyError(.invalidInput, "\(model) stores vectors of \(stored) dimensions, not \(dimension)")
        }
        // Follows an alias, so a vector computed under an id that was merged away lands on
        // the paper it became.
        let lookup = try RawStatement(db, sql: """
            SELECT id, title, abstract FROM papers
            WHERE id = coalesce((SELECT paper_id FROM paper_aliases WHERE old_id = ?1), ?1)
            """)
        let upsert = try RawStatement(db, sql: """
            INSERT INTO paper_vectors (paper_id, model, text_hash, dimension, vector, saved) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (paper_id, model) DO UPDATE
            SET text_hash = excluded.text_hash, dimension = excluded.dimension, vector = excluded.vector, saved = excluded.saved
            """)
        // Each vector takes the next number of the store's vector sequence.
        let sequence = try Int64.fetchOne(db, sql: "SELECT vector_sequence FROM store_meta WHERE id = 1") ?? 0
        var saved = 0
        for vector in vectors {
            lookup.bind(vector.id.rawValue, at: 1)
            let current = try lookup.fetchFirst { statement -> (id: String, textHash: String) in
                // Built as `StoredPaper` builds papers, so the hash comes from the one
                // definition of the embedded text, `Paper.embeddingText`.
                var paper = Paper(id: vector.id, title: "", sources: [])
                paper.title = RawColumn.text(statement, 1) ?? ""
                paper.abstract = RawColumn.text(statement, 2) ?? ""
                return (RawColumn.text(statement, 0) ?? "", paper.embeddingTextHash)
            }
            guard let current, current.textHash == vector.textHash else { continue }
            upsert.bind(current.id, at: 1)
            upsert.bind(model, at: 2)
            upsert.bind(vector.textHash, at: 3)
            upsert.bind(dimension, at: 4)
            upsert.bind(blob: vector.blob, at: 5)
            upsert.bind(sequence + Int64(saved) + 1, at: 6)
            try upsert.execute()
            saved += 1
        }
        if saved > 0 {
            try db.execute(sql: "UPDATE store_meta SET vector_sequence = ? WHERE id = 1", arguments: [sequence + Int64(saved)])
        }
        return saved
    }
}
