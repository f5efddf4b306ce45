/// Row normalizations of the transformer and of sentence vectors.
public enum Normalization {
    /// `row = LayerNorm(row + residual) · gamma + beta` over `count` values (biased variance,
    /// two passes for accuracy, as PyTorch computes it).
    @inlinable
    public static func addLayerNorm<M: MultiplyAdd>(
        _: M.Type, _ row: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, count: Int, epsilon: Float
    ) {
        if let residual {
            for j in 0..<count { row[j] += residual[j] }
        }
        var sum: Float = 0
        for j in 0..<count { sum += row[j] }
        let mean = sum / Float(count)
        var squares: Float = 0
        for j in 0..<count {
            let d = row[j] - mean
            squares += d * d
        }
        let inverse = 1 / (squares / Float(count) + epsilon).squareRoot()
        for j in 0..<count { row[j] = (row[j] - mean) * inverse * gamma[j] + beta[j] }
    }

    /// `out = mean of rows`, then scaled to unit length (sentence-transformers' mean pooling
    /// followed by its Normalize module).
    @inlinable
    public static func meanPoolNormalized(
        _ rows: UnsafePointer<Float>, count: Int, width: Int, into out: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<width { out[j] = 0 }
        for r in 0..<count {
            let row = rows + r * width
            for j in 0..<width { out[j] += row[j] }
        }
        var norm: Float = 0
        for j in 0..<width {
            out[j] /= Float(count)
            norm += out[j] * out[j]
        }
        let inverse = 1 / Swift.max(norm.squareRoot(), 1e-12)
        for j in 0..<width { out[j] *= inverse }
    }
}
