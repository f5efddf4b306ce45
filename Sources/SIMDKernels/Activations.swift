/// Element-wise functions of the transformer, eight lanes at a time. `exp` and `erf` are
/// polynomial approximations accurate to a few float ulps (Cephes' `expf`; the rational
/// `erf` of Eigen and XLA), because the C library computes one lane per call.
public enum Activations {
    /// `e^x` on eight lanes; inputs below -87 give 0.
    @inlinable @inline(__always)
    public static func exp<M: MultiplyAdd>(_: M.Type, _ input: SIMD8<Float>) -> SIMD8<Float> {
        let x = clamp(input, -87.33654, 88.37626)
        // n = round(x·log2 e), by adding 1.5·2^23: the sum's low mantissa bits then hold n as
        // an integer, so 2^n is built with integer adds and a shift. (Swift's generic
        // `rounded` and Float→Int32 lane conversions are per-lane loops.)
        var shifted = SIMD8<Float>(repeating: 12_582_912)
        M.madd(&shifted, x, SIMD8(repeating: 1.442695040888963))
        let n = shifted - 12_582_912
        var r = x
        M.madd(&r, n, SIMD8(repeating: -0.693359375))
        M.madd(&r, n, SIMD8(repeating: 2.12194440e-4))
        var y = SIMD8<Float>(repeating: 1.9875691500e-4)
        y = poly(M.self, y, r, 1.3981999507e-3)
        y = poly(M.self, y, r, 8.3334519073e-3)
        y = poly(M.self, y, r, 4.1665795894e-2)
        y = poly(M.self, y, r, 1.6666665459e-1)
        y = poly(M.self, y, r, 5.0000001201e-1)
        var result = r + 1
        M.madd(&result, y, r * r)
        let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- (0x4B40_0000 - 127)) &<< 23
        return result * unsafeBitCast(exponent, to: SIMD8<Float>.self)
    }

    /// The error function on eight lanes (|error| < 2e-7); |x| ≥ 4 gives ±1.
    @inlinable @inline(__always)
    public static func erf<M: MultiplyAdd>(_: M.Type, _ input: SIMD8<Float>) -> SIMD8<Float> {
        let x = clamp(input, -4, 4)
        let x2 = x * x
        var p = SIMD8<Float>(repeating: -2.72614225801306e-10)
        p = poly(M.self, p, x2, 2.77068142495902e-08)
        p = poly(M.self, p, x2, -2.10102402082508e-06)
        p = poly(M.self, p, x2, -5.69250639462346e-05)
        p = poly(M.self, p, x2, -7.34990630326855e-04)
        p = poly(M.self, p, x2, -2.95459980854025e-03)
        p = poly(M.self, p, x2, -1.60960333262415e-02)
        var q = SIMD8<Float>(repeating: -1.45660718464996e-05)
        q = poly(M.self, q, x2, -2.13374055278905e-04)
        q = poly(M.self, q, x2, -1.68282697438203e-03)
        q = poly(M.self, q, x2, -7.37332916720468e-03)
        q = poly(M.self, q, x2, -1.42647390514189e-02)
        return x * p / q
    }

    /// One Horner step: `p·x + c`.
    @inlinable @inline(__always)
    static func poly<M: MultiplyAdd>(_: M.Type, _ p: SIMD8<Float>, _ x: SIMD8<Float>, _ c: Float) -> SIMD8<Float> {
        var result = SIMD8<Float>(repeating: c)
        M.madd(&result, p, x)
        return result
    }

    /// BERT's exact GELU, `x·Φ(x) = x/2·(1 + erf(x/√2))`, in place.
    @inlinable
    public static func gelu<M: MultiplyAdd>(_: M.Type, _ values: UnsafeMutablePointer<Float>, count: Int) {
        forEachLane(values, count: count) { x in
            let half = x * 0.5
            return half + half * erf(M.self, x * 0.7071067811865476)
        }
    }

    /// Each of `rows` rows of `count` scores (row stride `stride`) becomes
    /// `softmax(scale · row)`, in place.
    @inlinable
    public static func softmax<M: MultiplyAdd>(
        _: M.Type, _ scores: UnsafeMutablePointer<Float>, rows: Int, count: Int, stride: Int, scale: Float
    ) {
        for r in 0..<rows {
            let row = scores + r * stride
            var maximum = -Float.infinity
            for j in 0..<count { maximum = Swift.max(maximum, row[j]) }
            let shift = maximum * scale
            forEachLane(row, count: count) { x in exp(M.self, x * scale - shift) }
            let sum = Reduction.sum(row, count: count)
            let inverse = 1 / sum
            for j in 0..<count { row[j] *= inverse }
        }
    }

    /// `min(max(x, low), high)` per lane, with the masked selects that compile to vector
    /// compares and blends (the standard library's `clamped` is a per-lane loop).
    @inlinable @inline(__always)
    static func clamp(_ x: SIMD8<Float>, _ low: Float, _ high: Float) -> SIMD8<Float> {
        x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    }

    /// Applies `body` to eight lanes at a time; the tail goes through a zero-padded vector.
    @inlinable @inline(__always)
    static func forEachLane(
        _ values: UnsafeMutablePointer<Float>, count: Int, _ body: (SIMD8<Float>) -> SIMD8<Float>
    ) {
        let raw = UnsafeMutableRawPointer(values)
        var i = 0
        while i + 8 <= count {
            raw.storeBytes(of: body(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)),
                           toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i < count {
            var tail = SIMD8<Float>()
            for lane in 0..<(count - i) { tail[lane] = values[i + lane] }
            let result = body(tail)
            for lane in 0..<(count - i) { values[i + lane] = result[lane] }
        }
    }
}
