import Foundation
import PaperboyTesting
import Testing
import Embedding

/// The Swift encoder reproduces sentence-transformers on CPU: 200 real texts (long abstracts
/// cut at 256 tokens, TeX, accents, bare titles, queries) embedded by
/// `bench/embedding_reference.py` into `Tests/Fixtures/minilm-embeddings.json`.
@Suite struct SentenceEmbedderParityTests {
    struct Reference: Decodable {
        struct Item: Decodable { var kind: String; var tokens: Int; var text: String; var vector: [Float] }
        var dimension: Int
        var items: [Item]
    }

    static func embedder(threads: Int = 2) throws -> SentenceEmbedder? {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return nil
        }
        return try SentenceEmbedder(modelDirectory: Fixtures.modelDirectory, threads: threads)
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf:
            Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/minilm-embeddings.json")))
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x * x); nb += Double(y * y) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func everyReferenceTextEmbedsToTheSentenceTransformersVector() throws {
        guard let embedder = try Self.embedder() else { return }
        let reference = try Self.reference()
        #expect(reference.items.count == 200)
        #expect(embedder.dimension == reference.dimension)
        let vectors = try embedder.embed(reference.items.map(\.text))
        var worst = 1.0
        for (item, vector) in zip(reference.items, vectors) {
            #expect(embedder.tokenizer.encode(item.text).count == item.tokens, "\(item.kind): \(item.text.prefix(60))")
            let cosine = Self.cosine(item.vector, vector)
            worst = min(worst, cosine)
            #expect(cosine >= 0.9999, "\(item.kind): cosine \(cosine) for \(item.text.prefix(60))")
            let norm = vector.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5, "vectors are L2-normalized")
        }
        #expect(reference.items.contains { $0.tokens == 256 }, "the fixture exercises truncation")
        print("worst cosine against sentence-transformers over \(vectors.count) texts: \(worst)")
    }

    /// Batching groups texts of similar length into one stacked matrix; a text's vector must
    /// not depend on its neighbours or on the thread count.
    @Test func aVectorDoesNotDependOnItsBatchOrThreads() throws {
        guard let two = try Self.embedder(threads: 2), let one = try Self.embedder(threads: 1) else { return }
        let texts = try Self.reference().items.prefix(40).map(\.text)
        let batched = try two.embed(texts)
        let alone = try texts.map { try one.embed([$0])[0] }
        for (a, b) in zip(batched, alone) {
            #expect(Self.cosine(a, b) >= 0.999_999)
        }
        #expect(try two.embed([]).isEmpty)
        #expect(try two.embed([""])[0].count == two.dimension, "an empty text still has the special tokens' vector")
    }
}
