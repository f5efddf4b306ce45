import Foundation
import ZIPFoundation

/// Writes an RGBA image as a PNG file's bytes: the map's tiles and `paperboy map --png`.
///
/// The pixels go through zlib's deflate (ZIPFoundation's binding, already linked for model
/// archives) with PNG's "up" filter on every row, which suits the map's large flat areas.
public enum PNGEncoder {
    /// `pixels` holds `width × height` RGBA pixels, row after row, top row first.
    public static func encode(width: Int, height: Int, pixels: [UInt8]) throws -> Data {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 4, "an RGBA image's size")
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, 6, 0, 0, 0])  // 8 bits a channel, RGBA, deflate, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", try zlib(filteredRows(width: width, height: height, pixels: pixels)), to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    /// Each row prefixed by filter 2 ("up"): its bytes minus the row above's.
    private static func filteredRows(width: Int, height: Int, pixels: [UInt8]) -> Data {
        let stride = width * 4
        var rows = [UInt8](repeating: 0, count: height * (stride + 1))
        for y in 0..<height {
            let out = y * (stride + 1)
            rows[out] = 2
            for i in 0..<stride {
                let above = y > 0 ? pixels[(y - 1) * stride + i] : 0
                rows[out + 1 + i] = pixels[y * stride + i] &- above
            }
        }
        return Data(rows)
    }

    /// A zlib stream: header, raw deflate, Adler-32 of the input.
    private static func zlib(_ input: Data) throws -> Data {
        var out = Data([0x78, 0x9C])
        _ = try Data.compress(size: Int64(input.count), bufferSize: 1 << 16, provider: { position, size in
            input.subdata(in: Int(position)..<Int(position) + size)
        }, consumer: { out.append($0) })
        out.appendBigEndian(adler32(input))
        return out
    }

    static func adler32(_ data: Data) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        data.withUnsafeBytes { bytes in
            var index = 0
            while index < bytes.count {
                // 5,552 bytes is the most that can be summed before the 32-bit sums overflow.
                let end = min(index + 5_552, bytes.count)
                for byte in bytes[index..<end] {
                    a &+= UInt32(byte)
                    b &+= a
                }
                a %= 65_521
                b %= 65_521
                index = end
            }
        }
        return b << 16 | a
    }

    private static func appendChunk(_ type: String, _ body: Data, to png: inout Data) {
        png.appendBigEndian(UInt32(body.count))
        let typed = Data(type.utf8) + body
        png.append(typed)
        png.appendBigEndian(typed.crc32(checksum: 0))
    }
}

extension Data {
    fileprivate mutating func appendBigEndian(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }
}
