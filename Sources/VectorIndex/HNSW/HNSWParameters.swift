/// The knobs of the HNSW graph (Malkov & Yashunin 2016, names as in the paper and hnswlib).
public struct HNSWParameters: Sendable, Equatable {
    /// Links per node on the upper layers; layer 0 keeps `2 · m`.
    public var m: Int
    /// Candidates kept while linking a new node: higher builds slower and searches better.
    public var efConstruction: Int
    /// Candidates kept while searching (at least k); the recall/speed dial.
    public var efSearch: Int
    /// Seeds the level draw, so a single-threaded build is reproducible.
    public var seed: UInt64

    /// M 16 and efConstruction 200 are hnswlib's and faiss's usual settings. efSearch 64
    /// gave recall@10 0.976 on the 100k benchmark set (ef 40 is the lowest reaching 0.95;
    /// `bench/results/vector-search.md`); larger collections need a larger ef for the same recall.
    public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 42) {
        precondition(m >= 2 && m <= 128, "m must be in 2...128")
        self.m = m
        self.efConstruction = max(efConstruction, m)
        self.efSearch = max(efSearch, 1)
        self.seed = seed
    }
}
