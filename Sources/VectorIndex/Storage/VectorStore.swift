import VectorMath

/// The vectors of an index, one dense slot each: the float vector (for the exact re-rank),
/// its int8 codes with a per-vector scale (for the scan and the graph walk) and the caller's
/// key. Shared by `FlatInt8Index` and `HNSWIndex`, so the façade switches between them
/// without copying vectors.
///
/// Per-vector scales rather than one global scale: MiniLM vectors differ in their largest
/// component (0.15–0.35), and a global scale wastes up to a bit of precision on most of them.
/// Deleting leaves a tombstone (the slot stays, marked); `compacted()` drops them.
public struct VectorStore: Sendable {
    public let dimension: Int
    var floats: GrowableBuffer<Float>
    var codes: GrowableBuffer<Int8>
    var scales: GrowableBuffer<Float>
    var tombstones: GrowableBuffer<UInt8>
    private(set) var keys: [String] = []
    private(set) var slotByKey: [String: UInt32] = [:]

    public init(dimension: Int, capacity: Int = 0) {
        precondition(dimension > 0, "dimension must be positive")
        self.dimension = dimension
        floats = GrowableBuffer(capacity: capacity * dimension)
        codes = GrowableBuffer(capacity: capacity * dimension)
        scales = GrowableBuffer(capacity: capacity)
        tombstones = GrowableBuffer(capacity: capacity)
        keys.reserveCapacity(capacity)
        slotByKey.reserveCapacity(capacity)
    }

    /// Slots in use, deleted ones included.
    public var slotCount: Int { keys.count }
    /// Vectors that searches can return.
    public var count: Int { slotByKey.count }
    public var deletedCount: Int { slotCount - count }

    public func contains(key: String) -> Bool { slotByKey[key] != nil }

    func isDeleted(_ slot: Int) -> Bool { tombstones.base[slot] != 0 }
    func key(at slot: Int) -> String { keys[slot] }
    /// The live slot holding `key`'s vector.
    func slot(of key: String) -> Int? { slotByKey[key].map(Int.init) }

    /// The float vector stored for `key`, if any.
    public func vector(for key: String) -> [Float]? {
        guard let slot = slotByKey[key] else { return nil }
        return Array(UnsafeBufferPointer(start: floats.base + Int(slot) * dimension, count: dimension))
    }

    /// Appends `vector` under `key` and returns its slot; a key already present is replaced
    /// (its old slot becomes a tombstone), so re-adding a paper updates it.
    @discardableResult
    public mutating func add(key: String, vector: [Float]) throws(VectorIndexError) -> Int {
        guard vector.count == dimension else {
            throw VectorIndexError(.dimensionMismatch, "vector for \(key) has \(vector.count) dimensions, the index \(dimension)")
        }
        guard vector.allSatisfy(\.isFinite) else {
            throw VectorIndexError(.invalidVector, "vector for \(key) has a NaN or infinite component")
        }
        makeUnique()
        if let old = slotByKey[key] { tombstones.base[Int(old)] = 1 }
        let slot = keys.count
        vector.withUnsafeBufferPointer { source in
            guard let start = source.baseAddress else { return }
            floats.append(contentsOf: start, count: dimension)
            codes.reserve(extra: dimension)
            let scale = VectorMath.quantizeInt8(start, count: dimension, into: codes.base + codes.count)
            codes.count += dimension
            scales.append(scale)
        }
        tombstones.append(0)
        keys.append(key)
        slotByKey[key] = UInt32(slot)
        return slot
    }

    /// Marks `key`'s vector deleted; returns whether it was there.
    @discardableResult
    public mutating func remove(key: String) -> Bool {
        guard let slot = slotByKey.removeValue(forKey: key) else { return false }
        makeUnique()
        tombstones.base[Int(slot)] = 1
        return true
    }

    /// A store holding only the live vectors, in slot order.
    public func compacted() -> VectorStore {
        var out = VectorStore(dimension: dimension, capacity: count)
        for slot in 0..<slotCount where !isDeleted(slot) {
            out.appendQuantized(from: self, slot: slot)
        }
        return out
    }

    /// Copies one slot (floats, codes, scale) without re-quantizing.
    mutating func appendQuantized(from other: VectorStore, slot: Int) {
        floats.append(contentsOf: other.floats.base + slot * dimension, count: dimension)
        codes.append(contentsOf: other.codes.base + slot * dimension, count: dimension)
        scales.append(other.scales.base[slot])
        tombstones.append(0)
        let key = other.keys[slot]
        slotByKey[key] = UInt32(keys.count)
        keys.append(key)
    }

    /// Rebuilds the key table from the loaded file's slots (`IndexFile`).
    mutating func restoreKeys(_ loaded: [String]) {
        keys = loaded
        slotByKey = [:]
        slotByKey.reserveCapacity(loaded.count)
        for (slot, key) in loaded.enumerated() where tombstones.base[slot] == 0 {
            slotByKey[key] = UInt32(slot)
        }
    }

    /// Bytes held for vectors, codes, scales, tombstones and keys (the index's own size).
    public var byteCount: Int {
        let keyBytes = keys.reduce(0) { $0 + 16 + ($1.utf8.count > 15 ? $1.utf8.count : 0) }
        return floats.byteCount + codes.byteCount + scales.byteCount + tombstones.byteCount
            + keyBytes + slotByKey.capacity * (MemoryLayout<String>.stride + 4)
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&floats) { floats = floats.copy() }
        if !isKnownUniquelyReferenced(&codes) { codes = codes.copy() }
        if !isKnownUniquelyReferenced(&scales) { scales = scales.copy() }
        if !isKnownUniquelyReferenced(&tombstones) { tombstones = tombstones.copy() }
    }
}
