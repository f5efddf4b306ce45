import PaperboyCore

/// The baseline a trained recommender has to beat: the candidates nearest, by embedding
/// cosine, to the paper the reader saved last in the tag, as "similar papers" on that
/// paper's page would list them.
public struct MostSimilarToLastSaved: RecommendationStrategy {
    public let name = "most similar to the last saved paper"

    public init() {}

    public func recommend(for saved: [PaperID], among features: PaperFeatures, limit: Int) -> [Recommendation] {
        let savedRows = features.rows(of: saved)
        guard let last = savedRows.last else { return [] }
        let query = Array(features.embeddings[last * features.dimension ..< (last + 1) * features.dimension])
        let scores = query.withUnsafeBufferPointer { query in
            query.baseAddress.map { features.embeddingScores($0) } ?? []
        }
        return features.recommendations(scores: scores, savedRows: savedRows, limit: limit)
    }
}
