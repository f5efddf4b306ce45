import SIMDKernels

/// The transformer kernels specialized for AVX2 + FMA (this target is compiled with
/// `-target-cpu haswell`). Only `VectorMath` calls these, after checking the CPU.
public enum AVX2Kernels {
    public static func multiply(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>?, accumulate: Bool
    ) {
        Gemm.multiply(FusedMultiplyAdd.self, m: m, n: n, k: k, a: a, lda: lda, packedB: packedB,
                      c: c, ldc: ldc, bias: bias, accumulate: accumulate)
    }

    public static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        Activations.gelu(FusedMultiplyAdd.self, values, count: count)
    }

    public static func softmax(_ scores: UnsafeMutablePointer<Float>, rows: Int, count: Int, stride: Int, scale: Float) {
        Activations.softmax(FusedMultiplyAdd.self, scores, rows: rows, count: count, stride: stride, scale: scale)
    }

    public static func addLayerNorm(
        _ row: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, count: Int, epsilon: Float
    ) {
        Normalization.addLayerNorm(FusedMultiplyAdd.self, row, residual: residual, gamma: gamma, beta: beta,
                                   count: count, epsilon: epsilon)
    }
}

extension AVX2Kernels {
    public static func peakProbe(iterations: Int, seed: Float) -> Float {
        PeakProbe.run(FusedMultiplyAdd.self, iterations: iterations, seed: seed)
    }
}
