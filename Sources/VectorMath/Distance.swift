import SIMDKernels
#if arch(x86_64)
import SIMDKernelsAVX2
#endif

/// The distance kernels compiled for the baseline CPU (multiply and add separately). Public so
/// tests can compare it with `AVX2Distance`; everything else calls `VectorMath`.
public enum BaselineDistance {
    @inline(never)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        DistanceKernels.dot(a, b, count: count, SeparateMultiplyAdd.self)
    }

    @inline(never)
    public static func dotRows(
        query: UnsafePointer<Float>, rows: UnsafePointer<Float>, dimension: Int, rowCount: Int,
        scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotRows(query: query, rows: rows, dimension: dimension, rowCount: rowCount,
                                scores: scores, SeparateMultiplyAdd.self)
    }

    @inline(never)
    public static func dotGathered(
        query: UnsafePointer<Float>, rows: UnsafePointer<Float>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotGathered(query: query, rows: rows, dimension: dimension, ids: ids,
                                    idCount: idCount, scores: scores, SeparateMultiplyAdd.self)
    }

    @inline(never)
    public static func dotInt8(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        DistanceKernels.dotInt8(a, b, count: count)
    }

    @inline(never)
    public static func dotRowsInt8(
        query: UnsafePointer<Int8>, rows: UnsafePointer<Int8>, dimension: Int, rowCount: Int,
        rowScales: UnsafePointer<Float>, scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotRowsInt8(query: query, rows: rows, dimension: dimension, rowCount: rowCount,
                                    rowScales: rowScales, scores: scores)
    }

    @inline(never)
    public static func dotGatheredInt8(
        query: UnsafePointer<Int8>, rows: UnsafePointer<Int8>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, rowScales: UnsafePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotGatheredInt8(query: query, rows: rows, dimension: dimension, ids: ids,
                                        idCount: idCount, rowScales: rowScales, scores: scores)
    }

    @inline(never)
    public static func dotFloatInt8(_ q: UnsafePointer<Float>, _ codes: UnsafePointer<Int8>, count: Int) -> Float {
        DistanceKernels.dotFloatInt8(q, codes, count: count, SeparateMultiplyAdd.self)
    }

    @inline(never)
    public static func dotGatheredFloatInt8(
        query: UnsafePointer<Float>, rows: UnsafePointer<Int8>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, rowScales: UnsafePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotGatheredFloatInt8(query: query, rows: rows, dimension: dimension, ids: ids,
                                             idCount: idCount, rowScales: rowScales, scores: scores, SeparateMultiplyAdd.self)
    }

    @inline(never)
    public static func quantize(_ x: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<Int8>) -> Float {
        DistanceKernels.quantize(x, count: count, into: codes)
    }
}

/// Similarity kernels for the vector index, dispatched on `usesAVX2` (see `DistanceKernels`
/// for what each computes). The batch forms exist so one dispatch covers many rows.
extension VectorMath {
    /// Dot product of two float vectors.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        #if arch(x86_64)
        if usesAVX2 { return AVX2Distance.dot(a, b, count: count) }
        #endif
        return BaselineDistance.dot(a, b, count: count)
    }

    /// `scores[r] = query · row r` for `rowCount` consecutive rows.
    @inlinable
    public static func dotRows(
        query: UnsafePointer<Float>, rows: UnsafePointer<Float>, dimension: Int, rowCount: Int,
        scores: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        if usesAVX2 {
            return AVX2Distance.dotRows(query: query, rows: rows, dimension: dimension, rowCount: rowCount, scores: scores)
        }
        #endif
        BaselineDistance.dotRows(query: query, rows: rows, dimension: dimension, rowCount: rowCount, scores: scores)
    }

    /// `scores[j] = query · row ids[j]`.
    @inlinable
    public static func dotGathered(
        query: UnsafePointer<Float>, rows: UnsafePointer<Float>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, scores: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        if usesAVX2 {
            return AVX2Distance.dotGathered(query: query, rows: rows, dimension: dimension, ids: ids,
                                            idCount: idCount, scores: scores)
        }
        #endif
        BaselineDistance.dotGathered(query: query, rows: rows, dimension: dimension, ids: ids,
                                     idCount: idCount, scores: scores)
    }

    /// Exact int8 dot product (codes in −127…127).
    @inlinable
    public static func dotInt8(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        #if arch(x86_64)
        if usesAVX2 { return AVX2Distance.dotInt8(a, b, count: count) }
        #endif
        return BaselineDistance.dotInt8(a, b, count: count)
    }

    /// `scores[r] = (query · row r) · rowScales[r]` over int8 rows.
    @inlinable
    public static func dotRowsInt8(
        query: UnsafePointer<Int8>, rows: UnsafePointer<Int8>, dimension: Int, rowCount: Int,
        rowScales: UnsafePointer<Float>, scores: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        if usesAVX2 {
            return AVX2Distance.dotRowsInt8(query: query, rows: rows, dimension: dimension, rowCount: rowCount,
                                            rowScales: rowScales, scores: scores)
        }
        #endif
        BaselineDistance.dotRowsInt8(query: query, rows: rows, dimension: dimension, rowCount: rowCount,
                                     rowScales: rowScales, scores: scores)
    }

    /// `scores[j] = (query · row ids[j]) · rowScales[ids[j]]` over int8 rows.
    @inlinable
    public static func dotGatheredInt8(
        query: UnsafePointer<Int8>, rows: UnsafePointer<Int8>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, rowScales: UnsafePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        if usesAVX2 {
            return AVX2Distance.dotGatheredInt8(query: query, rows: rows, dimension: dimension, ids: ids,
                                                idCount: idCount, rowScales: rowScales, scores: scores)
        }
        #endif
        BaselineDistance.dotGatheredInt8(query: query, rows: rows, dimension: dimension, ids: ids,
                                         idCount: idCount, rowScales: rowScales, scores: scores)
    }

    /// Float query · int8 row (asymmetric), unscaled.
    @inlinable
    public static func dotFloatInt8(_ q: UnsafePointer<Float>, _ codes: UnsafePointer<Int8>, count: Int) -> Float {
        #if arch(x86_64)
        if usesAVX2 { return AVX2Distance.dotFloatInt8(q, codes, count: count) }
        #endif
        return BaselineDistance.dotFloatInt8(q, codes, count: count)
    }

    /// `scores[j] = (query · codes of row ids[j]) · rowScales[ids[j]]`, float query.
    @inlinable
    public static func dotGatheredFloatInt8(
        query: UnsafePointer<Float>, rows: UnsafePointer<Int8>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, rowScales: UnsafePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        #if arch(x86_64)
        if usesAVX2 {
            return AVX2Distance.dotGatheredFloatInt8(query: query, rows: rows, dimension: dimension, ids: ids,
                                                     idCount: idCount, rowScales: rowScales, scores: scores)
        }
        #endif
        BaselineDistance.dotGatheredFloatInt8(query: query, rows: rows, dimension: dimension, ids: ids,
                                              idCount: idCount, rowScales: rowScales, scores: scores)
    }

    /// Asks for the cache lines of `bytes` bytes at `address` without waiting for them, so a
    /// walk over scattered memory can have several misses in flight.
    @inlinable @inline(__always)
    public static func prefetch<T>(_ address: UnsafePointer<T>, bytes: Int = 1) {
        DistanceKernels.prefetch(address, bytes: bytes)
    }

    /// Symmetric per-vector int8 quantization; returns the scale (`x ≈ codes · scale`).
    @inlinable
    public static func quantizeInt8(_ x: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<Int8>) -> Float {
        #if arch(x86_64)
        if usesAVX2 { return AVX2Distance.quantize(x, count: count, into: codes) }
        #endif
        return BaselineDistance.quantize(x, count: count, into: codes)
    }
}
