/// Single-precision matrix multiply, `C = A·B (+ bias) (+ C)`, blocked the way GotoBLAS and
/// BLIS do it: B is packed once into panels of 16 columns (for weights, at model load), a
/// block of A is packed into strips of 6 rows per call, and a 6×16 register tile (12 SIMD8
/// accumulators) runs over each strip and panel. A k-block of a panel (kc×16 floats, 16 KiB)
/// stays in L1 while the strips of the A block stream from L2.
public enum Gemm {
    /// Rows of the register tile.
    public static let tileRows = 6
    /// Columns of the register tile, and of a packed panel of B.
    public static let panelWidth = 16
    /// Depth of one k-block.
    public static let depthBlock = 256
    /// Rows of A packed at a time.
    public static let rowBlock = 96

    /// Floats a packed B of `k` rows and `n` columns takes.
    @inlinable
    public static func packedCount(k: Int, n: Int) -> Int {
        (n + panelWidth - 1) / panelWidth * panelWidth * k
    }

    /// Floats of scratch space `multiply` needs for its packed A block.
    public static let scratchCount = rowBlock * depthBlock

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
    /// row stride `lda`; B is packed by `pack`; `bias` (n floats) may be nil; `scratch` holds
    /// `scratchCount` floats.
    @inlinable
    public static func multiply<M: MultiplyAdd>(
        _: M.Type, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        packedB: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        bias: UnsafePointer<Float>?, accumulate: Bool,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let panels = (n + panelWidth - 1) / panelWidth
        var k0 = 0
        while k0 < k {
            let kb = min(depthBlock, k - k0)
            let firstBlock = k0 == 0
            var i0 = 0
            while i0 < m {
                let mb = min(rowBlock, m - i0)
                let strips = (mb + tileRows - 1) / tileRows
                packStrips(rows: mb, depth: kb, a: a + i0 * lda + k0, lda: lda, into: scratch)
                for panel in 0..<panels {
                    let firstColumn = panel * panelWidth
                    let columns = min(panelWidth, n - firstColumn)
                    let b = packedB + panel * k * panelWidth + k0 * panelWidth
                    let panelBias = firstBlock ? bias.map { $0 + firstColumn } : nil
                    for strip in 0..<strips {
                        let row = i0 + strip * tileRows
                        tile(
                            M.self, depth: kb, a: scratch + strip * tileRows * kb, b: b,
                            c: c + row * ldc + firstColumn, ldc: ldc,
                            rows: min(tileRows, m - row), columns: columns,
                            add: accumulate || !firstBlock, bias: panelBias, biasColumns: columns)
                    }
                }
                i0 += mb
            }
            k0 += kb
        }
    }

    /// Interleaves `rows` rows of A into strips of 6: strip s holds, for each depth step,
    /// the 6 values of its rows (zero past `rows`).
    @inlinable
    static func packStrips(
        rows: Int, depth: Int, a: UnsafePointer<Float>, lda: Int, into packed: UnsafeMutablePointer<Float>
    ) {
        var strip = 0
        while strip * tileRows < rows {
            let out = packed + strip * tileRows * depth
            let first = strip * tileRows
            let count = min(tileRows, rows - first)
            for r in 0..<tileRows {
                if r < count {
                    let source = a + (first + r) * lda
                    for p in 0..<depth { out[p * tileRows + r] = source[p] }
                } else {
                    for p in 0..<depth { out[p * tileRows + r] = 0 }
                }
            }
            strip += 1
        }
    }

    /// The 6×16 register tile: `depth` rank-1 updates from a packed strip and panel, then a
    /// store (or add) into C with the bias. Edge tiles go through a local buffer.
    @inlinable @inline(__always)
    static func tile<M: MultiplyAdd>(
        _: M.Type, depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int,
        add: Bool, bias: UnsafePointer<Float>?, biasColumns: Int
    ) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>(), c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        let rawB = UnsafeRawPointer(b)
        var pa = a
        for p in 0..<depth {
            let b0 = rawB.loadUnaligned(fromByteOffset: p * 64, as: SIMD8<Float>.self)
            let b1 = rawB.loadUnaligned(fromByteOffset: p * 64 + 32, as: SIMD8<Float>.self)
            var s = SIMD8<Float>(repeating: pa[0]); M.madd(&c00, s, b0); M.madd(&c01, s, b1)
            s = SIMD8<Float>(repeating: pa[1]); M.madd(&c10, s, b0); M.madd(&c11, s, b1)
            s = SIMD8<Float>(repeating: pa[2]); M.madd(&c20, s, b0); M.madd(&c21, s, b1)
            s = SIMD8<Float>(repeating: pa[3]); M.madd(&c30, s, b0); M.madd(&c31, s, b1)
            s = SIMD8<Float>(repeating: pa[4]); M.madd(&c40, s, b0); M.madd(&c41, s, b1)
            s = SIMD8<Float>(repeating: pa[5]); M.madd(&c50, s, b0); M.madd(&c51, s, b1)
            pa += tileRows
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
