import Foundation

/// SHA-256 (FIPS 180-4) fed in chunks, so a 90 MB weights file is hashed while it is read or
/// downloaded instead of being held in memory twice; `SHA256.hex` feeds it one whole message.
public struct StreamingSHA256: Sendable {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    /// Bytes of an incomplete 64-byte block carried to the next `update`.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    public init() {}

    /// Hashes the next `bytes` of the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            offset = take
            guard pending.count == 64 else { return }
            let block = pending
            block.withUnsafeBytes { compress(blocks: $0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = (bytes.count - offset) / 64 * 64
        if whole > 0 { compress(blocks: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + whole)])) }
        pending.append(contentsOf: bytes[(offset + whole)...])
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lowercase hexadecimal digits; the hasher is spent afterwards.
    public mutating func finalizeHex() -> String {
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { compress(blocks: $0) }
        pending = []
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for word in state {
            for shift in stride(from: 28, through: 0, by: -4) { hex.append(digits[Int((word >> UInt32(shift)) & 0xf)]) }
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The SHA-256 of a file, read in 4 MB chunks.
    public static func hexDigest(ofFile url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = StreamingSHA256()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update(chunk)
        }
        return hasher.finalizeHex()
    }

    /// Runs the compression function over whole 64-byte blocks. Written with the schedule in
    /// sixteen locals and transparent round helpers because a debug build (tests, `swift run`)
    /// does not inline buffer subscripts, which made hashing the weights take half a minute.
    private mutating func compress(blocks: UnsafeRawBufferPointer) {
        precondition(blocks.count % 64 == 0, "SHA-256 compresses whole blocks")
        var (h0, h1, h2, h3, h4, h5, h6, h7) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
        let k = Self.k
        var offset = 0
        while offset < blocks.count {
            var w0 = word(blocks, offset), w1 = word(blocks, offset &+ 4), w2 = word(blocks, offset &+ 8), w3 = word(blocks, offset &+ 12)
            var w4 = word(blocks, offset &+ 16), w5 = word(blocks, offset &+ 20), w6 = word(blocks, offset &+ 24), w7 = word(blocks, offset &+ 28)
            var w8 = word(blocks, offset &+ 32), w9 = word(blocks, offset &+ 36), w10 = word(blocks, offset &+ 40), w11 = word(blocks, offset &+ 44)
            var w12 = word(blocks, offset &+ 48), w13 = word(blocks, offset &+ 52), w14 = word(blocks, offset &+ 56), w15 = word(blocks, offset &+ 60)
            var (a, b, c, d, e, f, g, h) = (h0, h1, h2, h3, h4, h5, h6, h7)
            var base = 0
            while true {
                round(a, b, c, &d, e, f, g, &h, k[base &+ 0] &+ w0)
                round(h, a, b, &c, d, e, f, &g, k[base &+ 1] &+ w1)
                round(g, h, a, &b, c, d, e, &f, k[base &+ 2] &+ w2)
                round(f, g, h, &a, b, c, d, &e, k[base &+ 3] &+ w3)
                round(e, f, g, &h, a, b, c, &d, k[base &+ 4] &+ w4)
                round(d, e, f, &g, h, a, b, &c, k[base &+ 5] &+ w5)
                round(c, d, e, &f, g, h, a, &b, k[base &+ 6] &+ w6)
                round(b, c, d, &e, f, g, h, &a, k[base &+ 7] &+ w7)
                round(a, b, c, &d, e, f, g, &h, k[base &+ 8] &+ w8)
                round(h, a, b, &c, d, e, f, &g, k[base &+ 9] &+ w9)
                round(g, h, a, &b, c, d, e, &f, k[base &+ 10] &+ w10)
                round(f, g, h, &a, b, c, d, &e, k[base &+ 11] &+ w11)
                round(e, f, g, &h, a, b, c, &d, k[base &+ 12] &+ w12)
                round(d, e, f, &g, h, a, b, &c, k[base &+ 13] &+ w13)
                round(c, d, e, &f, g, h, a, &b, k[base &+ 14] &+ w14)
                round(b, c, d, &e, f, g, h, &a, k[base &+ 15] &+ w15)
                base &+= 16
                if base == 64 { break }
                    w0 = w0 &+ smallSigma1(w14) &+ w9 &+ smallSigma0(w1)
                    w1 = w1 &+ smallSigma1(w15) &+ w10 &+ smallSigma0(w2)
                    w2 = w2 &+ smallSigma1(w0) &+ w11 &+ smallSigma0(w3)
                    w3 = w3 &+ smallSigma1(w1) &+ w12 &+ smallSigma0(w4)
                    w4 = w4 &+ smallSigma1(w2) &+ w13 &+ smallSigma0(w5)
                    w5 = w5 &+ smallSigma1(w3) &+ w14 &+ smallSigma0(w6)
                    w6 = w6 &+ smallSigma1(w4) &+ w15 &+ smallSigma0(w7)
                    w7 = w7 &+ smallSigma1(w5) &+ w0 &+ smallSigma0(w8)
                    w8 = w8 &+ smallSigma1(w6) &+ w1 &+ smallSigma0(w9)
                    w9 = w9 &+ smallSigma1(w7) &+ w2 &+ smallSigma0(w10)
                    w10 = w10 &+ smallSigma1(w8) &+ w3 &+ smallSigma0(w11)
                    w11 = w11 &+ smallSigma1(w9) &+ w4 &+ smallSigma0(w12)
                    w12 = w12 &+ smallSigma1(w10) &+ w5 &+ smallSigma0(w13)
                    w13 = w13 &+ smallSigma1(w11) &+ w6 &+ smallSigma0(w14)
                    w14 = w14 &+ smallSigma1(w12) &+ w7 &+ smallSigma0(w15)
                    w15 = w15 &+ smallSigma1(w13) &+ w8 &+ smallSigma0(w0)
            }
            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            offset &+= 64
        }
        state = [h0, h1, h2, h3, h4, h5, h6, h7]
    }
}

/// The big-endian word at `offset`.
@_transparent private func word(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
    UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
}

/// One SHA-256 round; the caller rotates the roles of the eight working variables instead of
/// moving their values.
@_transparent private func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                                 _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
    let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ kw
    let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
    d &+= t1
    h = t1 &+ t2
}

@_transparent private func smallSigma0(_ x: UInt32) -> UInt32 { rotr(x, 7) ^ rotr(x, 18) ^ (x &>> 3) }
@_transparent private func smallSigma1(_ x: UInt32) -> UInt32 { rotr(x, 17) ^ rotr(x, 19) ^ (x &>> 10) }
@_transparent private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }
