import PaperboyCore
import VectorIndex

/// The semantic half of search: the model that embeds queries and the index of the papers'
/// vectors (computed by the same model, stored in the store).
public struct SemanticIndex: Sendable {
    public let embedder: any TextEmbedder & Sendable
    public var vectors: VectorSearcher
    /// The store's vector sequence `vectors` is current to: every vector saved up to it is
    /// in, and a running server takes in those saved after it (`PaperCatalog.followVectors`).
    public var sequence: Int64

    public init(embedder: any TextEmbedder & Sendable, vectors: VectorSearcher, sequence: Int64 = 0) {
        self.embedder = embedder
        self.vectors = vectors
        self.sequence = sequence
    }

    /// The query's unit vector.
    func embed(_ text: String) throws -> [Float] {
        try embedder.embed([text])[0]
    }
}
