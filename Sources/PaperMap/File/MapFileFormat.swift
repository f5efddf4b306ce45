import Foundation

/// The byte layout of `map.bin`, little-endian throughout:
///
/// header (40 bytes): magic `PAPERMAP`, format version (UInt32), 0 (UInt32), paper count
/// (UInt64), body length (UInt64), body checksum (UInt64, `MapChecksum`);
/// body: model (UInt32 length + UTF-8), computedAt (Float64 seconds since 1970), topics
/// (UInt32 count; each: label, term count + terms, centre x, y as Float32, papers as UInt64),
/// id lengths (UInt32 each) then the ids' UTF-8 bytes, points (x, y Float32 each),
/// topicOfPaper (UInt16 each), publishedDay (Int32 each).
///
/// Fixed-width arrays make a million papers load in one pass without parsing, and the length
/// and checksum in the header let a damaged or cut file be refused before any of it is used.
enum MapFileFormat {
    static let magic: [UInt8] = Array("PAPERMAP".utf8)
    static let version: UInt32 = 1
    static let headerLength = 40
}

/// Appends little-endian values to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func integer<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func float(_ value: Float) { integer(value.bitPattern) }
    mutating func double(_ value: Double) { integer(value.bitPattern) }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        integer(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}

/// Reads what `ByteWriter` wrote, refusing to read past the end.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    struct PastEnd: Error {}

    mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        guard offset + MemoryLayout<T>.size <= bytes.count else { throw PastEnd() }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func float() throws -> Float { Float(bitPattern: try integer(UInt32.self)) }
    mutating func double() throws -> Double { Double(bitPattern: try integer(UInt64.self)) }

    mutating func string() throws -> String {
        let length = Int(try integer(UInt32.self))
        return try utf8(length)
    }

    mutating func utf8(_ length: Int) throws -> String {
        guard length >= 0, offset + length <= bytes.count else { throw PastEnd() }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        offset += length
        return text
    }

    /// Makes sure `count` more bytes are there before a loop reads them one by one.
    func require(_ count: Int) throws {
        guard count >= 0, offset + count <= bytes.count else { throw PastEnd() }
    }
}

/// A 64-bit checksum of the body, a word at a time: each step (xor, odd multiply, xor-shift)
/// is a bijection of the state, so any one damaged word always changes the result. It
/// detects damage, not tampering.
struct MapChecksum {
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        let prime: UInt64 = 0x9FB2_1C65_1E98_DF25
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* prime
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail ^ UInt64(bytes.count)) &* prime
        h ^= h >> 33
        return h
    }
}
