/// One search result: the caller's key and its similarity (dot product of unit vectors, so
/// cosine similarity) computed on the float vectors.
public struct VectorHit: Sendable, Equatable {
    public var key: String
    public var score: Float

    public init(key: String, score: Float) {
        self.key = key
        self.score = score
    }
}
