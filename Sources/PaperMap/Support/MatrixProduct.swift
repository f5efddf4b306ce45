import VectorMath

/// Dense products through VectorMath's GEMM, which runs the AVX2 kernels when the CPU has
/// them and is compiled optimized even in debug builds: the map's covariance, projection and
/// neighbour search are all matrix products, and this is where their time goes.
enum MatrixProduct {
    /// `C[m×n] = A[m×k] · Bᵀ`, where B is `n` rows of `k` floats (row-major): every row of A
    /// dotted with every row of B.
    static func timesTransposed(
        _ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, rows n: Int, depth k: Int,
        into c: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>? = nil
    ) {
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: VectorMath.packedCount(k: k, n: n))
        defer { packed.deallocate() }
        VectorMath.pack(k: k, n: n, source: b, rowStride: 1, columnStride: k, into: packed)
        VectorMath.multiply(m: m, n: n, k: k, a: a, lda: k, packedB: packed, c: c, ldc: n, bias: bias)
    }

    /// B packed once for many `multiply` calls (`k` rows, `n` columns, B = rows of `n`ᵀ).
    struct PackedTransposed {
        let k: Int, n: Int
        let storage: UnsafeMutablePointer<Float>

        init(rows b: UnsafePointer<Float>, count n: Int, depth k: Int) {
            self.k = k
            self.n = n
            storage = .allocate(capacity: VectorMath.packedCount(k: k, n: n))
            VectorMath.pack(k: k, n: n, source: b, rowStride: 1, columnStride: k, into: storage)
        }

        func free() { storage.deallocate() }

        /// `C[m×n] = A[m×k] · Bᵀ`.
        func multiply(_ a: UnsafePointer<Float>, rows m: Int, into c: UnsafeMutablePointer<Float>) {
            VectorMath.multiply(m: m, n: n, k: k, a: a, lda: k, packedB: storage, c: c, ldc: n)
        }
    }
}
