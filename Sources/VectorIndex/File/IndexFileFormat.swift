/// The on-disk layout of a vector index: a 64-byte header, then raw little-endian sections
/// in the order below, so loading is a handful of bulk reads straight into the index's
/// buffers, with no per-element parsing except the keys.
///
/// Header: magic `PBVECIDX`, version, dimension, slot count, flags (bit 0: has a graph),
/// HNSW m / efConstruction / efSearch, entry point, top level, body length, checksum of the
/// body. Body: floats, int8 codes, scales, tombstones, key lengths (UInt32), key bytes; with
/// a graph also: level per slot, layer-0 links, upper offsets, upper word count (UInt64),
/// upper links, level-draw state (UInt64).
struct IndexFileHeader {
    static let magic: [UInt8] = Array("PBVECIDX".utf8)
    static let version: UInt32 = 1
    static let size = 64

    var dimension: UInt32
    var slotCount: UInt64
    var hasGraph: Bool
    var m: UInt32
    var efConstruction: UInt32
    var efSearch: UInt32
    var entryPoint: Int32
    var maxLevel: UInt32
    var bodyLength: UInt64
    var checksum: UInt64

    func encoded() -> [UInt8] {
        var bytes = Self.magic
        func put<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        put(Self.version); put(dimension); put(slotCount); put(UInt32(hasGraph ? 1 : 0)); put(m)
        put(efConstruction); put(efSearch); put(entryPoint); put(maxLevel); put(bodyLength); put(checksum)
        return bytes
    }

    /// Decodes and checks a header; `nil` messages become `VectorIndexError`s by the loader.
    static func decode(_ bytes: [UInt8]) -> Result<IndexFileHeader, VectorIndexError> {
        guard bytes.count == size, Array(bytes[0..<8]) == magic else {
            return .failure(VectorIndexError(.corruptFile, "not a vector index file (bad magic)"))
        }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            var value: T = 0
            withUnsafeMutableBytes(of: &value) { target in
                for i in 0..<MemoryLayout<T>.size { target[i] = bytes[offset + i] }
            }
            return T(littleEndian: value)
        }
        let version = get(8, UInt32.self)
        guard version == Self.version else {
            return .failure(VectorIndexError(.unsupportedVersion, "format version \(version), this build reads \(Self.version)"))
        }
        return .success(IndexFileHeader(
            dimension: get(12, UInt32.self), slotCount: get(16, UInt64.self), hasGraph: get(24, UInt32.self) & 1 == 1,
            m: get(28, UInt32.self), efConstruction: get(32, UInt32.self), efSearch: get(36, UInt32.self),
            entryPoint: get(40, Int32.self), maxLevel: get(44, UInt32.self), bodyLength: get(48, UInt64.self),
            checksum: get(56, UInt64.self)))
    }
}
