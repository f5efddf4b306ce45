import SIMDKernels

/// The distance kernels compiled for AVX2 + FMA (this target builds with `-target-cpu
/// haswell`). Call through `VectorMath`, which picks this or the baseline build at run time.
public enum AVX2Distance {
    @inline(never)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        DistanceKernels.dot(a, b, count: count, FusedMultiplyAdd.self)
    }

    @inline(never)
    public static func dotRows(
        query: UnsafePointer<Float>, rows: UnsafePointer<Float>, dimension: Int, rowCount: Int,
        scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotRows(query: query, rows: rows, dimension: dimension, rowCount: rowCount,
                                scores: scores, FusedMultiplyAdd.self)
    }

    @inline(never)
    public static func dotGathered(
        query: UnsafePointer<Float>, rows: UnsafePointer<Float>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotGathered(query: query, rows: rows, dimension: dimension, ids: ids,
                                    idCount: idCount, scores: scores, FusedMultiplyAdd.self)
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
        DistanceKernels.dotFloatInt8(q, codes, count: count, FusedMultiplyAdd.self)
    }

    @inline(never)
    public static func dotGatheredFloatInt8(
        query: UnsafePointer<Float>, rows: UnsafePointer<Int8>, dimension: Int,
        ids: UnsafePointer<UInt32>, idCount: Int, rowScales: UnsafePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        DistanceKernels.dotGatheredFloatInt8(query: query, rows: rows, dimension: dimension, ids: ids,
                                             idCount: idCount, rowScales: rowScales, scores: scores, FusedMultiplyAdd.self)
    }

    @inline(never)
    public static func quantize(_ x: UnsafePointer<Float>, count: Int, into codes: UnsafeMutablePointer<Int8>) -> Float {
        DistanceKernels.quantize(x, count: count, into: codes)
    }
}
