/// Rebuilds a vector index from the store's stored vectors, page by page, so the caller can
/// stream them out of the database without holding every `[Float]` at once (the index keeps
/// its own compact copy). The graph, if the collection is large enough, is built once at
/// the end over all vectors on all cores, which is faster than linking page by page.
public enum VectorIndexBuilder {
    public static func build<Pages: Sequence>(
        dimension: Int, pages: Pages, parameters: HNSWParameters = HNSWParameters(),
        graphThreshold: Int = VectorSearcher.defaultGraphThreshold
    ) throws(VectorIndexError) -> VectorSearcher where Pages.Element == [(key: String, vector: [Float])] {
        var store = VectorStore(dimension: dimension)
        for page in pages {
            for (key, vector) in page { try store.add(key: key, vector: vector) }
        }
        return VectorSearcher(store: store, parameters: parameters, graphThreshold: graphThreshold)
    }
}
