/// Sums and dot products over float rows, eight lanes at a time.
public enum Reduction {
    /// The sum of `count` floats.
    @inlinable @inline(__always)
    public static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        let raw = UnsafeRawPointer(values)
        var total = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            total += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var result = total.sum()
        while i < count {
            result += values[i]
            i += 1
        }
        return result
    }
}
