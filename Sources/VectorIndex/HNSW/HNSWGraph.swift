/// The links of an HNSW graph over the slots of a `VectorStore`, in flat buffers.
///
/// Layer 0 (every node) is one block of `m0 + 1` words per node: a count, then up to `m0`
/// neighbour slots, so a node's list is one cache-friendly read and the graph costs
/// `4 · (2m + 1)` bytes a vector. Upper layers hold ~1/m of the nodes; each such node owns
/// `level · (m + 1)` words in `upper` at `upperOffset[node]`.
struct HNSWGraph: Sendable {
    let m: Int
    let m0: Int
    var levels: GrowableBuffer<UInt8>
    var level0: GrowableBuffer<UInt32>
    var upperOffset: GrowableBuffer<Int32>
    var upper: GrowableBuffer<UInt32>
    var entryPoint: Int32 = -1
    var maxLevel = 0
    /// SplitMix64 state for the level draw.
    var random: UInt64

    init(m: Int, seed: UInt64, capacity: Int = 0) {
        self.m = m
        m0 = 2 * m
        levels = GrowableBuffer(capacity: capacity)
        level0 = GrowableBuffer(capacity: capacity * (2 * m + 1))
        upperOffset = GrowableBuffer(capacity: capacity)
        upper = GrowableBuffer(capacity: capacity / max(m, 1) * (m + 1) + 16)
        random = seed
    }

    var nodeCount: Int { levels.count }

    /// Draws a level with P(level ≥ l) = m^-l (mult = 1/ln m, as in the paper).
    mutating func drawLevel() -> Int {
        random &+= 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        let uniform = (Double(z >> 11) + 0.5) / Double(1 << 53)
        let level = Int(-_log(uniform) / _log(Double(m)))
        return min(level, 30)
    }

    /// Appends nodes with the given levels and no links; the build links them afterwards.
    /// Reserving everything first keeps the buffers from moving while threads link.
    mutating func appendNodes(levels newLevels: [Int]) {
        makeUnique()
        levels.reserve(extra: newLevels.count)
        upperOffset.reserve(extra: newLevels.count)
        level0.append(repeating: 0, count: newLevels.count * (m0 + 1))
        let upperWords = newLevels.reduce(0) { $0 + $1 * (m + 1) }
        upper.reserve(extra: upperWords)
        for level in newLevels {
            levels.append(UInt8(level))
            if level > 0 {
                upperOffset.append(Int32(upper.count))
                upper.append(repeating: 0, count: level * (m + 1))
            } else {
                upperOffset.append(-1)
            }
        }
    }

    var byteCount: Int { levels.byteCount + level0.byteCount + upperOffset.byteCount + upper.byteCount }

    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&levels) { levels = levels.copy() }
        if !isKnownUniquelyReferenced(&level0) { level0 = level0.copy() }
        if !isKnownUniquelyReferenced(&upperOffset) { upperOffset = upperOffset.copy() }
        if !isKnownUniquelyReferenced(&upper) { upper = upper.copy() }
    }

    /// Pointers for the search and build loops. Valid until the graph or store next grows.
    func view(of store: VectorStore, locks: StripedLocks?) -> HNSWView {
        HNSWView(dimension: store.dimension, floats: store.floats.base, codes: store.codes.base, scales: store.scales.base,
                 tombstones: store.tombstones.base, levels: levels.base, level0: level0.base,
                 upperOffset: upperOffset.base, upper: upper.base, m: m, m0: m0, locks: locks)
    }
}

/// Raw pointers to one graph and its store, for the inner loops (no bounds or uniqueness
/// checks, no reference counting). `locks` is set only during a parallel build.
struct HNSWView {
    let dimension: Int
    let floats: UnsafePointer<Float>
    let codes: UnsafePointer<Int8>
    let scales: UnsafePointer<Float>
    let tombstones: UnsafePointer<UInt8>
    let levels: UnsafePointer<UInt8>
    let level0: UnsafeMutablePointer<UInt32>
    let upperOffset: UnsafePointer<Int32>
    let upper: UnsafeMutablePointer<UInt32>
    let m: Int
    let m0: Int
    let locks: StripedLocks?

    /// The link block of `node` on `level`: count, then the neighbours.
    @inline(__always)
    func links(_ node: Int, _ level: Int) -> UnsafeMutablePointer<UInt32> {
        if level == 0 {
            let offset: Int = node &* (m0 &+ 1)
            return level0 + offset
        }
        let base: Int = Int(upperOffset[node])
        let offset: Int = base &+ (level &- 1) &* (m &+ 1)
        return upper + offset
    }

    @inline(__always)
    func maxLinks(_ level: Int) -> Int { level == 0 ? m0 : m }

    /// Similarity of two stored vectors for the neighbour heuristic: `a`'s float vector
    /// against `b`'s codes, the same asymmetric score the build's searches use, so the
    /// heuristic compares like with like.
    @inline(__always)
    func similarity(_ a: Int, _ b: Int) -> Float {
        VectorMathBridge.dotFloatInt8(floats + a &* dimension, codes + b &* dimension, dimension) * scales[b]
    }

    /// Copies a node's neighbour list into `into`, under the node's lock while building.
    @inline(__always)
    func copyLinks(_ node: Int, _ level: Int, into: UnsafeMutablePointer<UInt32>) -> Int {
        let block = links(node, level)
        guard let locks else {
            let n = Int(block[0])
            into.update(from: block + 1, count: n)
            return n
        }
        return locks.withLock(node) {
            let n = Int(block[0])
            into.update(from: block + 1, count: n)
            return n
        }
    }
}
