/// The map's one source of randomness: SplitMix64, so a seed gives the same sample, the same
/// layout and the same topics on every machine (the system generator is neither seedable nor
/// the same across platforms).
struct MapRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (`bound` > 0); the modulo bias is far below what a layout notices.
    mutating func index(below bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `count` distinct indices of `0..<total`, ascending (all of them when `count >= total`).
    mutating func sample(_ count: Int, of total: Int) -> [Int] {
        guard count < total else { return Array(0..<total) }
        // Partial Fisher–Yates over an index array: exact, and fast enough for a million.
        var indices = Array(0..<total)
        for i in 0..<count {
            let j = i + index(below: total - i)
            indices.swapAt(i, j)
        }
        return indices[0..<count].sorted()
    }
}
