/// A fast 64-bit checksum of a byte stream (multiply–xorshift over 8-byte words), so a torn
/// or corrupted index file is detected at load before any of it is trusted. Not
/// cryptographic: it guards against accidents, not attackers.
struct Checksum {
    private var state: UInt64 = 0x243F_6A88_85A3_08D3
    private var carry: UInt64 = 0
    private var carryBytes = 0
    private var length: UInt64 = 0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var index = 0
        while carryBytes != 0, index < bytes.count {
            carry |= UInt64(bytes[index]) << UInt64(8 * carryBytes)
            carryBytes += 1
            index += 1
            if carryBytes == 8 {
                mix(carry)
                carry = 0
                carryBytes = 0
            }
        }
        guard let base = bytes.baseAddress else { return }
        while index + 8 <= bytes.count {
            mix(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += 8
        }
        while index < bytes.count {
            carry |= UInt64(bytes[index]) << UInt64(8 * carryBytes)
            carryBytes += 1
            index += 1
        }
    }

    @inline(__always)
    private mutating func mix(_ word: UInt64) {
        state = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
        state ^= state >> 29
    }

    /// The checksum of everything given so far.
    var value: UInt64 {
        var copy = self
        copy.mix(copy.carry ^ (UInt64(copy.carryBytes) << 56))
        copy.mix(copy.length)
        var h = copy.state
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
