/// Fixed-width bit packing of small unsigned integers, the block codec of the postings.
///
/// A block of up to 128 doc-id gaps or term frequencies is stored with the width of its
/// largest value, so common terms (small gaps) take a few bits per posting and decoding is
/// a tight shift-and-mask loop without branches per value.
enum BitPacking {
    /// Bits needed for the largest of `values` (0 when all are zero).
    static func width(of values: UnsafeBufferPointer<UInt32>) -> Int {
        var all: UInt32 = 0
        for value in values { all |= value }
        return all == 0 ? 0 : 32 - all.leadingZeroBitCount
    }

    /// Bytes that `count` values of `width` bits take.
    @inline(__always)
    static func byteCount(count: Int, width: Int) -> Int { (count * width + 7) / 8 }

    /// Appends `values` packed at `width` bits each, little-endian bit order.
    static func pack(_ values: UnsafeBufferPointer<UInt32>, width: Int, into out: inout [UInt8]) {
        guard width > 0 else { return }
        var accumulator: UInt64 = 0
        var filled = 0
        for value in values {
            accumulator |= UInt64(value) << UInt64(filled)
            filled += width
            while filled >= 8 {
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                filled -= 8
            }
        }
        if filled > 0 { out.append(UInt8(truncatingIfNeeded: accumulator)) }
    }

    /// Bytes every packed buffer carries after its last block, so `unpack` may always read
    /// a whole 8-byte word.
    static let padding = 8

    /// Reads `count` values of `width` bits starting at `bytes` into `out`. The buffer must
    /// have `padding` readable bytes after the packed ones.
    @inline(__always)
    static func unpack(_ bytes: UnsafePointer<UInt8>, count: Int, width: Int, into out: UnsafeMutablePointer<UInt32>) {
        guard width > 0 else {
            out.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = (1 << UInt64(width)) - 1
        let raw = UnsafeRawPointer(bytes)
        var bitPosition = 0
        for i in 0..<count {
            let word = raw.loadUnaligned(fromByteOffset: bitPosition >> 3, as: UInt64.self)
            out[i] = UInt32(truncatingIfNeeded: (UInt64(littleEndian: word) >> UInt64(bitPosition & 7)) & mask)
            bitPosition += width
        }
    }
}

/// LEB128-style variable-length integers: the codec of positions, which are read only for
/// phrase queries and are mostly small gaps.
enum VarInt {
    @inline(__always)
    static func append(_ value: UInt32, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Reads one value at `offset` and moves `offset` past it.
    @inline(__always)
    static func read(_ bytes: UnsafePointer<UInt8>, at offset: inout Int) -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            result |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }
}
