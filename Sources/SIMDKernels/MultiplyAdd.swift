/// How a kernel computes `acc + a * b` on eight lanes. The kernels are generic over it so
/// one source serves two CPUs: with FMA hardware a fused multiply-add is one instruction;
/// without it, `addProduct` falls back to a library call per lane, so the baseline build
/// multiplies and adds separately.
public protocol MultiplyAdd {
    static func madd(_ acc: inout SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>)
}

/// For CPUs with FMA (compiled into `SIMDKernelsAVX2`).
public enum FusedMultiplyAdd: MultiplyAdd {
    @inlinable @inline(__always)
    public static func madd(_ acc: inout SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        acc.addProduct(a, b)
    }
}

/// For every other CPU.
public enum SeparateMultiplyAdd: MultiplyAdd {
    @inlinable @inline(__always)
    public static func madd(_ acc: inout SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        acc += a * b
    }
}
