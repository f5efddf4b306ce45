/// A loop of independent fused multiply-adds on registers only: the CPU's peak floating-point
/// rate, the yardstick the matrix kernels are measured against.
public enum PeakProbe {
    /// Runs `iterations` rounds of 12 eight-lane multiply-adds and returns a value that
    /// depends on all of them (so the work cannot be optimized away). Each round is
    /// 12 × 8 × 2 = 192 floating-point operations. Each register shrinks by a factor
    /// 1 - 1e-7 a round, so no value overflows or turns denormal, either of which could
    /// change the timing.
    @inlinable
    public static func run<M: MultiplyAdd>(_: M.Type, iterations: Int, seed: Float) -> Float {
        let a = SIMD8<Float>(repeating: 1 + seed), b = SIMD8<Float>(repeating: -1e-7)
        var c0 = a, c1 = a + 1, c2 = a + 2, c3 = a + 3, c4 = a + 4, c5 = a + 5
        var c6 = a + 6, c7 = a + 7, c8 = a + 8, c9 = a + 9, c10 = a + 10, c11 = a + 11
        for _ in 0..<iterations {
            M.madd(&c0, c0, b); M.madd(&c1, c1, b); M.madd(&c2, c2, b); M.madd(&c3, c3, b)
            M.madd(&c4, c4, b); M.madd(&c5, c5, b); M.madd(&c6, c6, b); M.madd(&c7, c7, b)
            M.madd(&c8, c8, b); M.madd(&c9, c9, b); M.madd(&c10, c10, b); M.madd(&c11, c11, b)
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).sum()
    }

    public static let flopsPerIteration = 192
}
