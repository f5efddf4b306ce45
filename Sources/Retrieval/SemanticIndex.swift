import PaperboyCore
import VectorIndex

/// The semantic half of search: the model that embeds queries and the index of the papers'
/// vectors (computed by the same model, stored in the store).
public struct SemanticIndex: Sendable {
    public let embedder: any TextEmbedder & Sendable
    public var vectors: VectorSearcher

    public init(embedder: any TextEmbedder & Sendable, vectors: VectorSearcher) {
        self.embedder = embedder
        self.vectors = vectors
    }

    /// The query's unit vector.
    func embed(_ text: String) throws -> [Float] {
        try embedder.embed([text])[0]
    }
}
