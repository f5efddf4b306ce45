import VectorMath

/// Exact search by scanning every vector's int8 codes, keeping the best `rerank` candidates
/// and re-scoring those with the float vectors.
///
/// Why int8 first: a scan over more vectors than fit in cache is bound by memory bandwidth,
/// and int8 codes are a quarter of the floats' bytes (384 instead of 1,536 a vector); the
/// arithmetic is 16 multiply-adds per `vpmaddwd`. Measured: ~6 ms per query over 100k
/// vectors on the shared 2-core machine (about 6 GB/s, the machine's memory bandwidth).
/// Why the re-rank: int8 scores differ from float ones by ~5e-4, enough to swap neighbours
/// with near-equal scores. Keeping `max(k · rerankFactor, 64)` candidates (default factor
/// 8) gave the float top 10 exactly on all 1,000 benchmark queries (recall@10 = 1.0 at
/// 100k, `bench/results/vector-search.md`). The float vectors stay Float32: exact scores
/// for the re-rank and the fused ranking, at 1,536 bytes a vector (Float16 would halve it;
/// not measured yet).
public struct FlatInt8Index: Sendable {
    public internal(set) var store: VectorStore
    public var rerankFactor: Int

    public init(store: VectorStore, rerankFactor: Int = 8) {
        self.store = store
        self.rerankFactor = rerankFactor
    }

    public init(dimension: Int, rerankFactor: Int = 8) {
        self.init(store: VectorStore(dimension: dimension), rerankFactor: rerankFactor)
    }

    public var count: Int { store.count }

    public mutating func add(key: String, vector: [Float]) throws(VectorIndexError) {
        try store.add(key: key, vector: vector)
    }

    @discardableResult
    public mutating func remove(key: String) -> Bool { store.remove(key: key) }

    /// The `k` vectors most similar to `query` (dot product), best first.
    public func search(_ query: [Float], k: Int) -> [VectorHit] {
        guard query.count == store.dimension, k > 0, store.count > 0 else { return [] }
        let prepared = QueryCodes(dimension: store.dimension)
        query.withUnsafeBufferPointer { if let q = $0.baseAddress { prepared.load(q) } }
        return search(prepared, k: k)
    }

    func search(_ query: QueryCodes, k: Int) -> [VectorHit] {
        let candidates = scan(query, keep: max(k * rerankFactor, 64))
        return candidates.withUnsafeBufferPointer { store.rerank($0, query: query.floats, k: k) }
    }

    /// The slots of the `keep` best live vectors by int8 score, scanned in blocks of rows so
    /// one kernel call scores a block and the heap only sees scores that beat its minimum.
    func scan(_ query: QueryCodes, keep: Int) -> [UInt32] {
        let dimension = store.dimension, slotCount = store.slotCount
        let block = 1024
        var heap = ScoreHeap(capacity: keep)
        defer { heap.deallocate() }
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: block)
        defer { scores.deallocate() }
        var start = 0
        while start < slotCount {
            let rows = min(block, slotCount - start)
            VectorMath.dotRowsInt8(query: query.codes, rows: store.codes.base + start * dimension,
                                   dimension: dimension, rowCount: rows,
                                   rowScales: store.scales.base + start, scores: scores)
            let tombstones = store.tombstones.base + start
            for r in 0..<rows {
                let score = scores[r]
                if (!heap.isFull || score > heap.minScore) && tombstones[r] == 0 {
                    heap.offer(score, UInt32(start + r))
                }
            }
            start += rows
        }
        return heap.drainDescending().map(\.slot)
    }
}
