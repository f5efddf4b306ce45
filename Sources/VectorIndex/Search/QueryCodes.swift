import VectorMath

/// A query prepared once per search: its float vector (for the re-rank) and its int8 codes
/// and scale (for the scan or the graph walk), in memory the kernels read directly.
final class QueryCodes {
    let dimension: Int
    let floats: UnsafeMutablePointer<Float>
    let codes: UnsafeMutablePointer<Int8>
    private(set) var scale: Float = 0

    init(dimension: Int) {
        self.dimension = dimension
        floats = .allocate(capacity: dimension)
        codes = .allocate(capacity: dimension)
    }

    deinit {
        floats.deallocate()
        codes.deallocate()
    }

    func load(_ query: UnsafePointer<Float>) {
        floats.update(from: query, count: dimension)
        scale = VectorMath.quantizeInt8(query, count: dimension, into: codes)
    }
}

extension VectorStore {
    /// The `candidates` re-scored with the float vectors; the best `k` live ones, best first.
    /// This is what makes int8 search exact in practice: the int8 order only has to put the
    /// true top k among the candidates, not order them.
    func rerank(_ candidates: UnsafeBufferPointer<UInt32>, query: UnsafePointer<Float>, k: Int) -> [VectorHit] {
        guard let ids = candidates.baseAddress, !candidates.isEmpty, k > 0 else { return [] }
        var scores = [Float](repeating: 0, count: candidates.count)
        scores.withUnsafeMutableBufferPointer { out in
            guard let out = out.baseAddress else { return }
            VectorMath.dotGathered(query: query, rows: floats.base, dimension: dimension, ids: ids,
                                   idCount: candidates.count, scores: out)
        }
        var order = Array(candidates.indices).filter { !isDeleted(Int(candidates[$0])) }
        order.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : candidates[$0] < candidates[$1] }
        return order.prefix(k).map { VectorHit(key: keys[Int(candidates[$0])], score: scores[$0]) }
    }
}
