import VectorMath

/// The kernels the graph calls, in one place (so the graph code reads as the algorithm).
enum VectorMathBridge {
    @inline(__always)
    static func dotInt8(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, _ count: Int) -> Int32 {
        VectorMath.dotInt8(a, b, count: count)
    }

    @inline(__always)
    static func dotFloatInt8(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Int8>, _ count: Int) -> Float {
        VectorMath.dotFloatInt8(a, b, count: count)
    }
}
