import Foundation
import NIOCore
import PaperboyCore
import PostgresNIO

/// Embedding vectors in `paper_vectors`, current by construction as in the SQLite store: a
/// vector is stored only while its text hash is its paper's, and an upsert that changes a
/// paper's text deletes its vectors in the same transaction. Vectors change no paper, so they
/// leave the generation alone; they count on `store_meta.vector_sequence`, taken in turn with
/// the writers' lock, so numbers are handed out in commit order and a node following
/// `vectorsSaved(model:since:limit:)` never skips one.
extension PostgresStore {
    /// Stores the vectors in one transaction; see `PaperStore.saveVectors(_:model:)`.
    ///
    /// The papers are read `FOR SHARE`: an upsert changing one of them on another node waits
    /// for this transaction, or this one waits for it and then sees the new text, so a vector
    /// of text that just changed is never stored.
    @discardableResult
    public func saveVectors(_ vectors: [PaperVector], model: String) async throws -> Int {
        guard !vectors.isEmpty else { return 0 }
        let dimension = try PaperVector.batchDimension(vectors, model: model)
        return try await write("cannot save \(vectors.count) vectors of \(model) (nothing was written)") { connection in
            _ = try await lockGeneration(connection)
            let sequence = try await Self.single(
                Int64.self, "SELECT vector_sequence FROM store_meta WHERE id = 1", connection, logger) ?? 0
            if let stored = try await Self.single(
                Int32.self, "SELECT dimension FROM paper_vectors WHERE model = \(model) LIMIT 1", connection, logger),
               Int(stored) != dimension {
                throw PaperboyError(.invalidInput, "\(model) stores vectors of \(stored) dimensions, not \(dimension)")
            }
            let ids = Array(Set(vectors.map(\.id.rawValue)))
            var resolved: [String: String] = [:]
            let aliases = try await connection.query(
                "SELECT old_id, paper_id FROM paper_aliases WHERE old_id = ANY(\(ids))", logger: logger)
            for try await (old, paper) in aliases.decode((String, String).self) { resolved[old] = paper }
            let targets = Array(Set(ids.map { resolved[$0] ?? $0 }))
            var hashes: [String: String] = [:]
            let papers = try await connection.query(
                "SELECT id, title, abstract FROM papers WHERE id = ANY(\(targets)) FOR SHARE", logger: logger)
            for try await (id, title, abstract) in papers.decode((String, String, String).self) {
                // Built as stored papers are, so the hash comes from the one definition of the
                // embedded text, `Paper.embeddingText`.
                guard let paperID = PaperID(id) else { continue }
                var paper = Paper(id: paperID, title: "", sources: [])
                paper.title = title
                paper.abstract = abstract
                hashes[id] = paper.embeddingTextHash
            }
            var saved = 0
            for vector in vectors {
                let id = resolved[vector.id.rawValue] ?? vector.id.rawValue
                guard hashes[id] == vector.textHash else { continue }
                try await connection.query("""
                    INSERT INTO paper_vectors (paper_id, model, text_hash, dimension, vector, saved)
                    VALUES (\(id), \(model), \(vector.textHash), \(Int32(dimension)), \(VectorBytes.encode(vector.vector)),
                            \(sequence + Int64(saved) + 1))
                    ON CONFLICT (paper_id, model) DO UPDATE
                    SET text_hash = excluded.text_hash, dimension = excluded.dimension, vector = excluded.vector,
                        saved = excluded.saved
                    """, logger: logger)
                saved += 1
            }
            if saved > 0 {
                try await connection.query(
                    "UPDATE store_meta SET vector_sequence = \(sequence + Int64(saved)) WHERE id = 1", logger: logger)
            }
            return saved
        }
    }

    /// Papers without a vector for `model`, by ascending id after `after`.
    public func papersNeedingVectors(model: String, after: PaperID?, limit: Int) async throws -> [Paper] {
        guard limit > 0 else { return [] }
        return try await read("cannot list papers needing vectors of \(model)") { connection in
            try await PaperRows.papers(try await connection.query("""
                SELECT \(unescaped: PaperRows.selection) FROM papers
                WHERE id > \(after?.rawValue ?? "") AND NOT EXISTS (
                    SELECT 1 FROM paper_vectors WHERE paper_vectors.paper_id = papers.id AND paper_vectors.model = \(model))
                ORDER BY id LIMIT \(Int64(limit))
                """, logger: logger))
        }
    }

    /// See `PaperStore.vectorSequence()`.
    public func vectorSequence() async throws -> Int64 {
        try await read("cannot read the vector sequence") { connection in
            try await Self.single(Int64.self, "SELECT vector_sequence FROM store_meta WHERE id = 1", connection, logger) ?? 0
        }
    }

    /// Vectors of `model` saved after `since`, oldest first; see
    /// `PaperStore.vectorsSaved(model:since:limit:)`.
    public func vectorsSaved(model: String, since: Int64, limit: Int) async throws -> SavedVectors {
        guard limit > 0 else { return SavedVectors(vectors: [], sequence: since) }
        return try await read("cannot read vectors of \(model) saved since \(since)") { connection in
            let rows = try await connection.query("""
                SELECT paper_id, text_hash, dimension, vector, saved FROM paper_vectors
                WHERE model = \(model) AND saved > \(since) ORDER BY saved LIMIT \(Int64(limit))
                """, logger: logger)
            var page = SavedVectors(vectors: [], sequence: since)
            for try await (id, textHash, dimension, bytes, saved) in rows.decode((String, String, Int32, ByteBuffer, Int64).self) {
                page.vectors.append(try Self.vector(id: id, textHash: textHash, dimension: dimension, bytes: bytes))
                page.sequence = saved
            }
            return page
        }
    }

    /// Stored vectors of `model` by ascending paper id after `after`.
    public func vectors(model: String, after: PaperID?, limit: Int) async throws -> [PaperVector] {
        guard limit > 0 else { return [] }
        return try await read("cannot read vectors of \(model)") { connection in
            let rows = try await connection.query("""
                SELECT paper_id, text_hash, dimension, vector FROM paper_vectors
                WHERE model = \(model) AND paper_id > \(after?.rawValue ?? "") ORDER BY paper_id LIMIT \(Int64(limit))
                """, logger: logger)
            var vectors: [PaperVector] = []
            for try await (id, textHash, dimension, bytes) in rows.decode((String, String, Int32, ByteBuffer).self) {
                vectors.append(try Self.vector(id: id, textHash: textHash, dimension: dimension, bytes: bytes))
            }
            return vectors
        }
    }

    /// A row of `paper_vectors`, or an error naming the row that does not read back.
    private static func vector(id: String, textHash: String, dimension: Int32, bytes: ByteBuffer) throws -> PaperVector {
        guard let paperID = PaperID(id) else {
            throw PaperRowError("paper_vectors.paper_id \"\(id)\" is not a paper id")
        }
        guard let vector = VectorBytes.decode(bytes, dimension: Int(dimension)) else {
            throw PaperRowError("paper_vectors.vector of \(id) does not hold \(dimension) floats")
        }
        return PaperVector(id: paperID, textHash: textHash, vector: vector)
    }

    /// How many papers have a vector for `model`.
    public func vectorCount(model: String) async throws -> Int {
        try await read("cannot count vectors of \(model)") { connection in
            Int(try await Self.single(Int64.self, "SELECT count(*) FROM paper_vectors WHERE model = \(model)", connection, logger) ?? 0)
        }
    }
}

/// `paper_vectors.vector`: the floats little-endian, as the SQLite store keeps them.
enum VectorBytes {
    static func encode(_ vector: [Float]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(vector.count * 4)
        for value in vector { buffer.writeInteger(value.bitPattern, endianness: .little) }
        return buffer
    }

    /// The floats, or nil when the bytes are not `dimension` of them.
    static func decode(_ buffer: ByteBuffer, dimension: Int) -> [Float]? {
        guard dimension > 0, buffer.readableBytes == dimension * 4 else { return nil }
        var buffer = buffer
        return (0..<dimension).map { _ in Float(bitPattern: buffer.readInteger(endianness: .little, as: UInt32.self) ?? 0) }
    }
}
