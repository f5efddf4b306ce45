/// Similarity kernels for the vector index: dot products of float and int8 vectors, batch
/// forms that score one query against many rows per call (so the call and dispatch cost is
/// paid once per batch, not once per row), and symmetric int8 quantization.
///
/// Everything here is `@inline(__always)` so each wrapper module (`SIMDKernelsAVX2`,
/// `VectorMath`) compiles its own copy for its own CPU; nothing is called across modules.
/// Pointers are raw because the index keeps its rows in one flat buffer.
public enum DistanceKernels {
    // MARK: float

    /// `Σ a[i]·b[i]` over `count` floats, four independent eight-lane accumulators so the
    /// FMA latency (4–5 cycles) is hidden behind two loads per cycle.
    @inlinable @inline(__always)
    public static func dot<M: MultiplyAdd>(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, _: M.Type
    ) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = 0
        while i + 32 <= count {
            let o = i &* 4
            M.madd(&s0, ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self),
                   rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
            M.madd(&s1, ra.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self),
                   rb.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self))
            M.madd(&s2, ra.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD8<Float>.self),
                   rb.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD8<Float>.self))
            M.madd(&s3, ra.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD8<Float>.self),
                   rb.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD8<Float>.self))
            i &+= 32
        }
        while i + 8 <= count {
            let o = i &* 4
            M.madd(&s0, ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self),
                   rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self))
            i &+= 8
        }
        var total = ((s0 + s1) + (s2 + s3)).sum()
        while i < count {
            total += a[i] * b[i]
            i &+= 1
        }
        return total
    }

    /// Scores one query against `rows` consecutive rows of `dimension` floats.
    @inlinable @inline(__always)
    public static func dotRows<M: MultiplyAdd>(
        query: UnsafePointer<Float>, rows base: UnsafePointer<Float>, dimension: Int, rowCount: Int,
        scores: UnsafeMutablePointer<Float>, _ m: M.Type
    ) {
        for r in 0..<rowCount {
            scores[r] = dot(query, base + r &* dimension, count: dimension, m)
        }
    }

    /// Scores one query against the rows named by `ids` (the candidates of a re-rank),
    /// prefetching ahead as `dotGatheredInt8` does.
    @inlinable @inline(__always)
    public static func dotGathered<M: MultiplyAdd>(
        query: UnsafePointer<Float>, rows base: UnsafePointer<Float>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, scores: UnsafeMutablePointer<Float>, _ m: M.Type
    ) {
        let rowBytes = dimension &* 4
        for j in 0..<min(prefetchDistance, idCount) { prefetch(base + Int(ids[j]) &* dimension, bytes: rowBytes) }
        for j in 0..<idCount {
            if j &+ prefetchDistance < idCount {
                prefetch(base + Int(ids[j &+ prefetchDistance]) &* dimension, bytes: rowBytes)
            }
            scores[j] = dot(query, base + Int(ids[j]) &* dimension, count: dimension, m)
        }
    }

    // MARK: int8

    /// `Σ a[i]·b[i]` over `count` int8 values, exact in `Int32` for codes in −127…127.
    ///
    /// Written as "widen sixteen lanes to 32 bits, multiply, add" with the widening done lane
    /// by lane: LLVM sees that each product fits 16 bits and emits, per 16 bytes, two
    /// `vpmovsxbw` loads, one `vpmaddwd` and one `vpaddd` (checked with `-emit-assembly`). The
    /// stdlib's generic `truncatingIfNeeded:` conversion is not inlined and costs a call.
    @inlinable @inline(__always)
    public static func dotInt8(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        // One accumulator: `vpaddd` has one cycle of latency, and with two LLVM splits the
        // pattern and falls back to `vpmulld` for half the lanes.
        var sum = SIMD16<Int32>()
        var i = 0
        while i + 16 <= count {
            sum &+= widenedProducts(ra.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self),
                                    rb.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self))
            i &+= 16
        }
        var total = sum.wrappedSum()
        while i < count {
            total &+= Int32(a[i]) &* Int32(b[i])
            i &+= 1
        }
        return total
    }

    /// The sixteen products `x[k]·y[k]` as `Int32`.
    @inlinable @inline(__always)
    public static func widenedProducts(_ x: SIMD16<Int8>, _ y: SIMD16<Int8>) -> SIMD16<Int32> {
        var xi = SIMD16<Int32>(), yi = SIMD16<Int32>()
        for k in 0..<16 {
            xi[k] = Int32(x[k])
            yi[k] = Int32(y[k])
        }
        return xi &* yi
    }

    /// Approximate similarities of a quantized query against `rowCount` consecutive int8 rows:
    /// `scores[r] = dotInt8(query, row r) · rowScales[r]` (the query's own scale is left out:
    /// it does not change the order).
    @inlinable @inline(__always)
    public static func dotRowsInt8(
        query: UnsafePointer<Int8>, rows base: UnsafePointer<Int8>, dimension: Int, rowCount: Int,
        rowScales: UnsafePointer<Float>, scores: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rowCount {
            scores[r] = Float(dotInt8(query, base + r &* dimension, count: dimension)) * rowScales[r]
        }
    }

    /// `dotRowsInt8` for the rows named by `ids`. A graph walk spends most of its time
    /// waiting for these scattered rows and their scales, so the rows `prefetchDistance`
    /// ahead are requested while the current one is scored: several misses in flight at once
    /// instead of one after another.
    @inlinable @inline(__always)
    public static func dotGatheredInt8(
        query: UnsafePointer<Int8>, rows base: UnsafePointer<Int8>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, rowScales: UnsafePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        for j in 0..<min(prefetchDistance, idCount) {
            let id = Int(ids[j])
            prefetch(base + id &* dimension, bytes: dimension)
            prefetch(rowScales + id)
        }
        for j in 0..<idCount {
            if j &+ prefetchDistance < idCount {
                let ahead = Int(ids[j &+ prefetchDistance])
                prefetch(base + ahead &* dimension, bytes: dimension)
                prefetch(rowScales + ahead)
            }
            let id = Int(ids[j])
            scores[j] = Float(dotInt8(query, base + id &* dimension, count: dimension)) * rowScales[id]
        }
    }

    /// How many rows ahead the gathered kernels prefetch: enough to cover a memory miss
    /// (~100 ns) with the scoring of the rows in between (~30 ns each for 384 int8 values).
    @inlinable public static var prefetchDistance: Int { 4 }

    /// Asks for every 64-byte line of `bytes` bytes at `address` without waiting for them.
    @inlinable @inline(__always)
    public static func prefetch<T>(_ address: UnsafePointer<T>, bytes: Int) {
        let start = UnsafeRawPointer(address)
        var offset = 0
        while offset < bytes {
            llvmPrefetch(start + offset, 0, 3, 1)
            offset &+= 64
        }
        llvmPrefetch(start + (bytes &- 1), 0, 3, 1)
    }

    /// Asks for the line holding `address`.
    @inlinable @inline(__always)
    public static func prefetch<T>(_ address: UnsafePointer<T>) {
        llvmPrefetch(UnsafeRawPointer(address), 0, 3, 1)
    }

    /// `Σ q[i]·codes[i]` with a float query and int8 codes ("asymmetric": only the stored
    /// side is quantized, so the score has half the error of int8 · int8 at the same memory
    /// traffic; the codes are widened with `vpmovsxbd` + `vcvtdq2ps` and fused in).
    @inlinable @inline(__always)
    public static func dotFloatInt8<M: MultiplyAdd>(
        _ q: UnsafePointer<Float>, _ codes: UnsafePointer<Int8>, count: Int, _: M.Type
    ) -> Float {
        let rq = UnsafeRawPointer(q), rc = UnsafeRawPointer(codes)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= count {
            let c = rc.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self)
            var lo = SIMD8<Float>(), hi = SIMD8<Float>()
            for k in 0..<8 {
                lo[k] = Float(c[k])
                hi[k] = Float(c[k &+ 8])
            }
            M.madd(&s0, rq.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self), lo)
            M.madd(&s1, rq.loadUnaligned(fromByteOffset: i &* 4 &+ 32, as: SIMD8<Float>.self), hi)
            i &+= 16
        }
        var total = (s0 + s1).sum()
        while i < count {
            total += q[i] * Float(codes[i])
            i &+= 1
        }
        return total
    }

    /// `scores[j] = dotFloatInt8(query, row ids[j]) · rowScales[ids[j]]`, prefetching ahead.
    @inlinable @inline(__always)
    public static func dotGatheredFloatInt8<M: MultiplyAdd>(
        query: UnsafePointer<Float>, rows base: UnsafePointer<Int8>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, rowScales: UnsafePointer<Float>,
        scores: UnsafeMutablePointer<Float>, _ m: M.Type
    ) {
        for j in 0..<min(prefetchDistance, idCount) {
            let id = Int(ids[j])
            prefetch(base + id &* dimension, bytes: dimension)
            prefetch(rowScales + id)
        }
        for j in 0..<idCount {
            if j &+ prefetchDistance < idCount {
                let ahead = Int(ids[j &+ prefetchDistance])
                prefetch(base + ahead &* dimension, bytes: dimension)
                prefetch(rowScales + ahead)
            }
            let id = Int(ids[j])
            scores[j] = dotFloatInt8(query, base + id &* dimension, count: dimension, m) * rowScales[id]
        }
    }

    /// Symmetric per-vector quantization: `codes[i] = round(x[i] / scale)` in −127…127 with
    /// `scale = max|x| / 127`, returned so `x ≈ codes · scale`. A zero vector gets scale 0.
    /// −128 is never produced, which keeps every product of two codes within 16 bits.
    @inlinable @inline(__always)
    public static func quantize(_ x: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<Int8>) -> Float {
        var peak: Float = 0
        for i in 0..<count { peak = max(peak, abs(x[i])) }
        guard peak > 0, peak.isFinite else {
            for i in 0..<count { codes[i] = 0 }
            return 0
        }
        let inverse = 127 / peak
        for i in 0..<count {
            let q = (x[i] * inverse).rounded(.toNearestOrEven)
            codes[i] = Int8(max(-127, min(127, q)))
        }
        return peak / 127
    }
}

/// LLVM's prefetch intrinsic (address, read = 0, locality 3 = keep in every cache level,
/// data cache = 1), which compiles to `prefetcht0` on x86 and `prfm` on ARM. Swift has no
/// prefetch of its own; the intrinsic retires at once, where a plain load would hold the
/// instruction window until its line arrived.
@usableFromInline @_silgen_name("llvm.prefetch.p0")
func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)
