import Foundation
import GRDB
import PaperboyCore
import PaperboyTesting
@testable import StorageSQLite
import Testing

/// What only the SQLite store promises about vectors: the BLOB layout, the cascades that keep
/// vectors with their paper row, and query plans that stay linear on a large store.
struct PaperVectorStorageTests {
    private let model = "all-MiniLM-L6-v2"

    @Test func vectorIsStoredAsLittleEndianFloat32() async throws {
        let store = try PaperDatabase.inMemory()
        let paper = SamplePapers.arxiv("1706.03762")
        _ = try await store.upsert([paper])
        _ = try await store.saveVectors([PaperVector(paper: paper, vector: [1, -2])], model: model)
        let row = try await store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT dimension, text_hash, vector FROM paper_vectors")
        }
        #expect(row?["dimension"] == 2)
        #expect(row?["text_hash"] == paper.embeddingTextHash)
        #expect((row?["vector"] as Data?).map(Array.init) == [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0])
    }

    /// A store written before `v3 paper vectors` gains the table when opened, and every paper
    /// in it needs a vector; the vectors saved then survive reopening.
    @Test func storeFromBeforeVectorsIsMigratedAndKeepsVectorsWhenReopened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("papers.sqlite")
        let papers = SamplePapers.generated(count: 3)
        do {
            let store = try PaperDatabase.file(at: path)
            _ = try await store.upsert(papers)
            try await store.writer.write { db in
                try db.execute(sql: """
                    DROP TABLE paper_vectors; ALTER TABLE store_meta DROP COLUMN vector_sequence;
                    DELETE FROM grdb_migrations WHERE identifier IN ('v3 paper vectors', 'v10 vector sequence')
                    """)
            }
        }
        do {
            let store = try PaperDatabase.file(at: path)
            let needing = try await store.papersNeedingVectors(model: model, limit: 10)
            #expect(needing.count == 3)
            #expect(try await store.saveVectors(needing.map { PaperVector(paper: $0, vector: [1, 2, 3]) }, model: model) == 3)
        }
        let reopened = try PaperDatabase.file(at: path)
        #expect(try await reopened.vectorCount(model: model) == 3)
        #expect(try await reopened.papersNeedingVectors(model: model, limit: 10).isEmpty)
    }

    @Test func vectorsGoWithTheirPaperRow() async throws {
        let store = try PaperDatabase.inMemory()
        let papers = SamplePapers.generated(count: 2)
        _ = try await store.upsert(papers)
        _ = try await store.saveVectors(papers.map { PaperVector(paper: $0, vector: [1]) }, model: model)
        try await store.writer.write { db in
            try db.execute(sql: "DELETE FROM papers WHERE id = ?", arguments: [papers[0].id.rawValue])
        }
        #expect(try await store.vectors(model: model, after: nil, limit: 10).map(\.id) == [papers[1].id])
    }

    @Test func savingVectorsLeavesGenerationAndRevisionsAlone() async throws {
        let store = try PaperDatabase.inMemory()
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        let revisions = try await store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT revision FROM papers ORDER BY id") }
        _ = try await store.saveVectors(papers.map { PaperVector(paper: $0, vector: [1]) }, model: model)
        #expect(try await store.generation() == 1)
        #expect(try await store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT revision FROM papers ORDER BY id") } == revisions)
    }

    /// The pass over papers needing vectors walks the papers' primary key in order (no sort,
    /// no scan of the vectors), and paging vectors walks the model's index.
    @Test func vectorQueriesWalkIndexesWithoutSorting() async throws {
        let store = try PaperDatabase.inMemory()
        let plans = try await store.writer.read { db in
            let needing = try details(db, sql: """
                EXPLAIN QUERY PLAN SELECT \(PaperRow.selection) FROM papers
                WHERE id > ?2 AND NOT EXISTS (
                    SELECT 1 FROM paper_vectors WHERE paper_vectors.paper_id = papers.id AND paper_vectors.model = ?1)
                ORDER BY id LIMIT ?3
                """, arguments: [model, "", 10])
            let paging = try details(db, sql: """
                EXPLAIN QUERY PLAN SELECT \(StoredVector.selection) FROM paper_vectors INDEXED BY paper_vectors_on_model
                WHERE model = ?1 AND paper_id > ?2 ORDER BY paper_id LIMIT ?3
                """, arguments: [model, "", 10])
            let counting = try details(db, sql: "EXPLAIN QUERY PLAN SELECT count(*) FROM paper_vectors WHERE model = ?",
                                               arguments: [model])
            let following = try details(db, sql: """
                EXPLAIN QUERY PLAN SELECT \(StoredVector.selection) FROM paper_vectors INDEXED BY paper_vectors_by_saved
                WHERE model = ?1 AND saved > ?2 ORDER BY saved LIMIT ?3
                """, arguments: [model, 0, 10])
            return (needing, paging, counting, following)
        }
        let needing = plans.0.joined(separator: "\n")
        #expect(!needing.contains("TEMP B-TREE"))
        #expect(needing.contains("USING INDEX sqlite_autoindex_papers_1"))
        #expect(needing.contains("USING INDEX sqlite_autoindex_paper_vectors_1") || needing.contains("USING COVERING INDEX sqlite_autoindex_paper_vectors_1"))
        #expect(!plans.1.joined().contains("TEMP B-TREE"))
        #expect(plans.2.joined().contains("COVERING INDEX paper_vectors_"), "\(plans.2)")
        #expect(!plans.3.joined().contains("TEMP B-TREE") && plans.3.joined().contains("paper_vectors_by_saved"), "\(plans.3)")
    }

    /// The `detail` lines of a query plan.
    private func details(_ db: Database, sql: String, arguments: StatementArguments) throws -> [String] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { $0["detail"] ?? "" }
    }
}
