import VectorMath

/// What a graph walk compares nodes against: the float vector (the new node's while
/// building, the caller's while searching) against the stored int8 codes (`dotFloatInt8`),
/// or int8 codes on both sides when `floats` is nil. Quantizing only the stored side halves
/// the score error for the same bytes read.
struct GraphQuery {
    let codes: UnsafePointer<Int8>
    let scale: Float
    let floats: UnsafePointer<Float>?

    /// Scores `count` rows named by `ids` into `scores`.
    @inline(__always)
    func score(_ view: HNSWView, ids: UnsafePointer<UInt32>, count: Int, into scores: UnsafeMutablePointer<Float>) {
        if let floats {
            VectorMath.dotGatheredFloatInt8(query: floats, rows: view.codes, dimension: view.dimension, ids: ids,
                                            idCount: count, rowScales: view.scales, scores: scores)
        } else {
            VectorMath.dotGatheredInt8(query: codes, rows: view.codes, dimension: view.dimension, ids: ids,
                                       idCount: count, rowScales: view.scales, scores: scores)
            for j in 0..<count { scores[j] *= scale }
        }
    }

    @inline(__always)
    func score(_ view: HNSWView, node: Int) -> Float {
        let row = view.codes + node &* view.dimension
        if let floats { return VectorMath.dotFloatInt8(floats, row, count: view.dimension) * view.scales[node] }
        return Float(VectorMath.dotInt8(codes, row, count: view.dimension)) * view.scales[node] * scale
    }
}
