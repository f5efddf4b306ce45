/// Single-precision matrix multiply, `C = A·B (+ bias) (+ C)`, blocked the way GotoBLAS and
/// BLIS do it: B is packed once into panels of 16 columns (for weights, at model load), and a
/// 6×16 register tile (12 SIMD8 accumulators) runs over each strip of 6 rows of A and each
/// panel. A k-block of a panel (kc×16 floats, 16 KiB) stays in L1 while the rows of an A
/// block stream from L2, and 16 panels of a k-block (256 KiB) stay in L2 while every A block
/// runs over them. A is read in place, six rows at a time, rather than packed: at these
/// sizes (m ≤ 512, rows of at most 6 KiB) the packing cost more than it saved, above all
/// for attention's narrow products.
public enum Gemm {
    /// Rows of the register tile.
    public static let tileRows = 6
    /// Columns of the register tile, and of a packed panel of B.
    public static let panelWidth = 16
    /// Depth of one k-block.
    public static let depthBlock = 256
    /// Rows of A in one block (96 rows × 256 floats = 96 KiB, resident in L2).
    public static let rowBlock = 96
    /// Panels of B (of one k-block) that stay in L2 while every row block runs over them.
    public static let panelBlock = 16

    /// Floats a packed B of `k` rows and `n` columns takes.
    @inlinable
    public static func packedCount(k: Int, n: Int) -> Int {
        (n + panelWidth - 1) / panelWidth * panelWidth * k
    }

    /// Packs B (`k` rows, `n` columns, element (i, j) at `source[i * rowStride + j * columnStride]`)
    /// into panels of 16 columns, each `k × 16` floats, zero-padded past column `n`.
    /// A PyTorch `Linear` weight `W[out][in]` is B = Wᵀ: `rowStride` 1, `columnStride` `in`.
    @inlinable
    public static func pack(
        k: Int, n: Int, source: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
        let panels = (n + panelWidth - 1) / panelWidth
        for panel in 0..<panels {
            let base = packed + panel * k * panelWidth
            let firstColumn = panel * panelWidth
            let columns = min(panelWidth, n - firstColumn)
            for i in 0..<k {
                let row = base + i * panelWidth
                let sourceRow = source + i * rowStride + firstColumn * columnStride
                if columnStride == 1 && columns == panelWidth {
                    row.update(from: sourceRow, count: panelWidth)
                    continue
                }
                for j in 0..<columns { row[j] = sourceRow[j * columnStride] }
                for j in columns..<panelWidth { row[j] = 0 }
            }
        }
    }

    /// `C[m×n] = A[m×k]·B + bias`, or `C += A·B + bias` when `accumulate`. A is row-major with
    /// row stride `lda`; B is packed by `pack`; `bias` (n floats) may be nil.
    @inlinable
    public static func multiply<M: MultiplyAdd>(
        _: M.Type, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        bias: UnsafePointer<Float>?, accumulate: Bool
    ) {
        let panels = (n + panelWidth - 1) / panelWidth
        for k0 in stride(from: 0, to: k, by: depthBlock) {
            let kb = min(depthBlock, k - k0)
            let firstBlock = k0 == 0
            for firstPanel in stride(from: 0, to: panels, by: panelBlock) {
                for i0 in stride(from: 0, to: m, by: rowBlock) {
                    let rowEnd = min(m, i0 + rowBlock)
                    for panel in firstPanel..<min(panels, firstPanel + panelBlock) {
                        let firstColumn = panel * panelWidth
                        let columns = min(panelWidth, n - firstColumn)
                        let b = packedB + panel * k * panelWidth + k0 * panelWidth
                        let panelBias = firstBlock ? bias.map { $0 + firstColumn } : nil
                        for row in stride(from: i0, to: rowEnd, by: tileRows) {
                            tile(
                                M.self, depth: kb, a: a + row * lda + k0, lda: lda, b: b,
                                c: c + row * ldc + firstColumn, ldc: ldc,
                                rows: min(tileRows, m - row), columns: columns,
                                add: accumulate || !firstBlock, bias: panelBias, biasColumns: columns)
                        }
                    }
                }
            }
        }
    }

    /// The 6×16 register tile: `depth` rank-1 updates from six rows of A and a packed panel, then a
    /// store (or add) into C with the bias. Edge tiles go through a local buffer.
    @inlinable @inline(__always)
    static func tile<M: MultiplyAdd>(
        _: M.Type, depth: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
        add: Bool, bias: UnsafePointer<Float>?, biasColumns: Int
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        let rawB = UnsafeRawPointer(b)
        // Rows past the edge repeat the last row; their results are never stored.
        let a0 = a, a1 = a + min(1, rows - 1) * lda, a2 = a + min(2, rows - 1) * lda
        let a3 = a + min(3, rows - 1) * lda, a4 = a + min(4, rows - 1) * lda, a5 = a + min(5, rows - 1) * lda
        for p in 0..<depth {
            let b0 = rawB.loadUnaligned(fromByteOffset: p * 64, as: SIMD8<Float>.self)
            let b1 = rawB.loadUnaligned(fromByteOffset: p * 64 + 32, as: SIMD8<Float>.self)
            var s = SIMD8<Float>(repeating: a0[p]); M.madd(&c00, s, b0); M.madd(&c01, s, b1)
            s = SIMD8<Float>(repeating: a1[p]); M.madd(&c10, s, b0); M.madd(&c11, s, b1)
            s = SIMD8<Float>(repeating: a2[p]); M.madd(&c20, s, b0); M.madd(&c21, s, b1)
            s = SIMD8<Float>(repeating: a3[p]); M.madd(&c30, s, b0); M.madd(&c31, s, b1)
            s = SIMD8<Float>(repeating: a4[p]); M.madd(&c40, s, b0); M.madd(&c41, s, b1)
            s = SIMD8<Float>(repeating: a5[p]); M.madd(&c50, s, b0); M.madd(&c51, s, b1)
        }
        if let bias {
            var bias0 = SIMD8<Float>(), bias1 = SIMD8<Float>()
            for j in 0..<min(8, biasColumns) { bias0[j] = bias[j] }
            for j in 8..<max(8, biasColumns) { bias1[j - 8] = bias[j] }
            c00 += bias0; c10 += bias0; c20 += bias0; c30 += bias0; c40 += bias0; c50 += bias0
            c01 += bias1; c11 += bias1; c21 += bias1; c31 += bias1; c41 += bias1; c51 += bias1
        }
        let full = rows == tileRows && columns == panelWidth
        var buffer = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(),
                      SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        withUnsafeMutableBytes(of: &buffer) { local in
            let target = full ? UnsafeMutableRawPointer(c) : local.baseAddress.unsafelyUnwrapped
            let stride = full ? ldc * 4 : 64
            @inline(__always) func put(_ row: Int, _ v0: SIMD8<Float>, _ v1: SIMD8<Float>) {
                let at = target + row * stride
                if add && full {
                    at.storeBytes(of: at.loadUnaligned(as: SIMD8<Float>.self) + v0, as: SIMD8<Float>.self)
                    at.storeBytes(of: at.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self) + v1,
                                  toByteOffset: 32, as: SIMD8<Float>.self)
                } else {
                    at.storeBytes(of: v0, as: SIMD8<Float>.self)
                    at.storeBytes(of: v1, toByteOffset: 32, as: SIMD8<Float>.self)
                }
            }
            put(0, c00, c01); put(1, c10, c11); put(2, c20, c21)
            put(3, c30, c31); put(4, c40, c41); put(5, c50, c51)
            if full { return }
            let values = local.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: Float.self)
            for r in 0..<rows {
                for j in 0..<columns {
                    let value = values[r * panelWidth + j]
                    c[r * ldc + j] = add ? c[r * ldc + j] + value : value
                }
            }
        }
    }
}
