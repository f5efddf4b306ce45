import SIMDKernels
#if arch(x86_64)
import SIMDKernelsAVX2
#endif

/// The transformer's kernels behind the run-time CPU switch. See `Gemm` in `SIMDKernels` for
/// the blocking and the packed layouts.
extension VectorMath {
    /// Floats a packed B of `k` rows and `n` columns takes.
    public static func packedCount(k: Int, n: Int) -> Int { Gemm.packedCount(k: k, n: n) }

    /// Packs B (element (i, j) at `source[i * rowStride + j * columnStride]`) for `multiply`.
    public static func pack(
        k: Int, n: Int, source: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
        Gemm.pack(k: k, n: n, source: source, rowStride: rowStride, columnStride: columnStride, into: packed)
    }

    /// `C[m×n] = A[m×k]·B + bias` (`C +=` when `accumulate`), B packed by `pack`.
    public static func multiply(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, bias: UnsafePointer<Float>? = nil, accumulate: Bool = false
    ) {
        #if arch(x86_64)
        if usesAVX2 {
            return AVX2Kernels.multiply(m: m, n: n, k: k, a: a, lda: lda, packedB: packedB, c: c, ldc: ldc,
                                        bias: bias, accumulate: accumulate)
        }
        #endif
        Gemm.multiply(SeparateMultiplyAdd.self, m: m, n: n, k: k, a: a, lda: lda, packedB: packedB,
                      c: c, ldc: ldc, bias: bias, accumulate: accumulate)
    }

    /// BERT's exact (erf) GELU, in place.
    public static func gelu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        #if arch(x86_64)
        if usesAVX2 { return AVX2Kernels.gelu(values, count: count) }
        #endif
        Activations.gelu(SeparateMultiplyAdd.self, values, count: count)
    }

    /// Row-wise `softmax(scale · row)`, in place.
    public static func softmax(_ scores: UnsafeMutablePointer<Float>, rows: Int, count: Int, stride: Int, scale: Float) {
        #if arch(x86_64)
        if usesAVX2 { return AVX2Kernels.softmax(scores, rows: rows, count: count, stride: stride, scale: scale) }
        #endif
        Activations.softmax(SeparateMultiplyAdd.self, scores, rows: rows, count: count, stride: stride, scale: scale)
    }

    /// `row = LayerNorm(row + residual)·gamma + beta`.
    public static func addLayerNorm(
        _ row: UnsafeMutablePointer<Float>, residual: UnsafePointer<Float>?,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, count: Int, epsilon: Float
    ) {
        #if arch(x86_64)
        if usesAVX2 {
            return AVX2Kernels.addLayerNorm(row, residual: residual, gamma: gamma, beta: beta, count: count, epsilon: epsilon)
        }
        #endif
        Normalization.addLayerNorm(SeparateMultiplyAdd.self, row, residual: residual, gamma: gamma, beta: beta,
                                   count: count, epsilon: epsilon)
    }

    /// The unit-length mean of `count` rows of `width` floats.
    public static func meanPoolNormalized(
        _ rows: UnsafePointer<Float>, count: Int, width: Int, into out: UnsafeMutablePointer<Float>
    ) {
        Normalization.meanPoolNormalized(rows, count: count, width: width, into: out)
    }
}
