/// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose whole state is its seed,
/// so negative samples, evaluation splits and the map's sample, layout and topics are the
/// same on every machine and every run.
/// The draws below are our own rather than the standard library's `shuffle(using:)` and
/// `random(in:using:)`, whose algorithms a new Swift release may change.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one of several independent streams of one seed (a tag, a split).
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededGenerator(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`; the modulo bias is below 2⁻⁴⁰ for any bound we draw from.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "cannot draw below \(bound)")
        return Int(next() % UInt64(bound))
    }

    /// Fisher–Yates over the first `count` places only: afterwards `items[..<count]` is a
    /// uniform sample of `items` without replacement, in random order.
    public mutating func shuffle<Element>(_ items: inout [Element], prefix count: Int) {
        let limit = min(count, items.count)
        var index = 0
        while index < limit {
            items.swapAt(index, index + below(items.count - index))
            index += 1
        }
    }

    public mutating func shuffle<Element>(_ items: inout [Element]) {
        shuffle(&items, prefix: items.count)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `count` distinct indices of `0..<total`, ascending (all of them when `count >= total`).
    public mutating func sample(_ count: Int, of total: Int) -> [Int] {
        guard count < total else { return Array(0..<total) }
        var indices = Array(0..<total)
        shuffle(&indices, prefix: count)
        return indices[0..<count].sorted()
    }
}
