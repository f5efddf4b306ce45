/// Remembers the terms of recently seen short ASCII words, so the words every abstract
/// repeats (`the`, `model`, `results`…) are neither turned into strings nor stemmed again.
///
/// A value type with no sharing: give each thread or task its own, one per analyzer (a cache
/// handed to the other analyzer starts over), and pass it to `TextAnalyzer.analyze(_:cache:)`
/// call after call. Direct-mapped on the word's bytes: a word evicts whatever word hashed to
/// its slot before, so memory stays fixed (32 bytes a slot).
public struct TermCache: Sendable {
    /// A lowercase word of up to 16 ASCII letters packed little-endian into two words
    /// (zero-padded, and no letter is zero) and its term.
    private struct Entry {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var term = ""
    }

    /// Allocated on first use, so a text without words costs nothing.
    private var entries: [Entry] = []
    private let slots: Int
    /// Which analyzer filled the cache: a stemming analyzer's terms are wrong for the other.
    private var stemming = false

    /// The longest word the cache holds.
    static let maxWordLength = 16

    /// A cache of `capacity` slots, rounded up to a power of two; 0 caches nothing.
    public init(capacity: Int = 8192) {
        var slots = capacity > 0 ? 2 : 0
        while slots < capacity { slots <<= 1 }
        self.slots = slots
    }

    /// Whether the cache holds anything at all (capacity 0 turns it off).
    var isEnabled: Bool { slots > 0 }

    /// The term of the packed word, computing it with `makeTerm` when the slot holds another.
    @inline(__always)
    mutating func term(low: UInt64, high: UInt64, stemming: Bool, makeTerm: () -> String) -> String {
        if entries.isEmpty || self.stemming != stemming {
            entries = Array(repeating: Entry(), count: slots)
            self.stemming = stemming
        }
        let mixed = (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F)
        let slot = Int(truncatingIfNeeded: mixed >> 32) & (slots - 1)
        return entries.withUnsafeMutableBufferPointer { entries in
            if entries[slot].low == low, entries[slot].high == high { return entries[slot].term }
            let term = makeTerm()
            entries[slot] = Entry(low: low, high: high, term: term)
            return term
        }
    }
}
