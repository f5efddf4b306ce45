import Foundation
import PaperboyTesting
import Testing
@testable import SearchIndex

/// Scores equal a real peer's: bm25s (`method="lucene"`, k1 = 1.2, b = 0.75) on the 335 seed
/// papers pre-tokenized, 50 queries. The reference is `Tests/Fixtures/bm25s-lucene-seed-papers.json`,
/// produced by `python3 bench/bm25_reference.py Tests/Fixtures/bm25s-lucene-seed-papers.json`.
@Suite struct BM25ParityTests {
    struct Reference: Decodable {
        struct Document: Decodable { var id: String; var tokens: [String] }
        struct Hit: Decodable { var id: String; var score: Double }
        struct Query: Decodable { var text: String; var tokens: [String]; var top: [Hit] }
        var k1: Float
        var b: Float
        var method: String
        var documents: [Document]
        var queries: [Query]
    }

    static func reference() throws -> Reference {
        let url = Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/bm25s-lucene-seed-papers.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    @Test func topTenIdsAndScoresEqualBM25sLucene() throws {
        let reference = try Self.reference()
        #expect(reference.method == "lucene" && reference.documents.count == 335 && reference.queries.count == 50)
        // One field holding the peer's tokens; the other fields empty, so they add nothing.
        let documents = reference.documents.map { document in
            IndexDocument(id: document.id, day: 0, fields: [FieldTerms(), FieldTerms(words: document.tokens), FieldTerms(), FieldTerms()])
        }
        let index = KeywordIndex.build(documents, parameters: BM25Parameters(k1: reference.k1, b: reference.b))
        var worst = 0.0
        for query in reference.queries {
            let keyword = KeywordQuery.anyOf(query.tokens.map { .term($0, field: .abstract, boost: 1) })
            let hits = index.search(keyword, limit: 10)
            #expect(hits.map(\.id) == query.top.map(\.id), "query \(query.text)")
            for (hit, expected) in zip(hits, query.top) {
                let relative = abs(Double(hit.score) - expected.score) / expected.score
                worst = max(worst, relative)
                #expect(relative <= 1e-4, "query \(query.text): \(hit.id) scored \(hit.score), bm25s \(expected.score)")
            }
        }
        print("largest relative score difference to bm25s: \(worst)")
    }
}
