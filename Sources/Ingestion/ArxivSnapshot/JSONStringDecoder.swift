/// Finds and decodes JSON string contents, eight bytes at a time where the text is plain
/// printable ASCII (nearly all of arXiv's metadata), byte by byte elsewhere.
///
/// Decoding can also collapse whitespace on the way — runs of whitespace (escaped or not,
/// Unicode White_Space and control characters included) become one space, ends trimmed —
/// giving exactly what `String.collapsingWhitespace` gives, without a second pass.
enum JSONStringDecoder {
    /// The end of the string whose content starts at `start` (the index of its closing quote)
    /// and whether it holds escapes; every escape is checked on the way. Nil when the text ends
    /// first.
    static func extent(of bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(JSONSyntaxError) -> (end: Int, hasEscape: Bool)? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var index = start
        var hasEscape = false
        while index < bytes.count {
            if index + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let special = Word.zeroBytes(word ^ Word.quotes) | Word.zeroBytes(word ^ Word.backslashes)
                if special == 0 {
                    index += 8
                    continue
                }
                index += special.trailingZeroBitCount >> 3  // to the first quote or backslash
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return (index, hasEscape) }
            if byte == UInt8(ascii: "\\") {
                hasEscape = true
                index += try escapeLength(bytes, at: index)
            } else {
                index += 1
            }
        }
        return nil
    }

    /// The length of the valid escape at `index` (which holds the backslash).
    private static func escapeLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) throws(JSONSyntaxError) -> Int {
        guard index + 1 < bytes.count else { throw JSONSyntaxError(message: "the text ends inside an escape", offset: index) }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"):
            guard index + 6 <= bytes.count, (index + 2..<index + 6).allSatisfy({ hexValue(bytes[$0]) != nil }) else {
                throw JSONSyntaxError(message: "invalid \\u escape: four hexadecimal digits expected", offset: index)
            }
            return 6
        default:
            let letter = Character(Unicode.Scalar(bytes[index + 1]))
            throw JSONSyntaxError(message: "invalid escape '\\\(letter)' in a string", offset: index)
        }
    }

    /// Decodes the string content starting at `start` into `out`, stopping at the first
    /// unescaped quote or at the end of `raw`, and checking escapes on the way; returns the
    /// bytes written and where it stopped. `out` needs room for `raw.count - start` bytes:
    /// escapes and collapsing only ever shrink text.
    static func decode(
        _ raw: UnsafeBufferPointer<UInt8>, from start: Int = 0, into out: UnsafeMutableBufferPointer<UInt8>, collapsing: Bool
    ) throws(JSONSyntaxError) -> (written: Int, end: Int) {
        guard let source = raw.baseAddress, let target = out.baseAddress else { return (0, start) }
        let count = raw.count
        var read = start, written = 0
        // Whitespace is written at once as one space unless the output is empty or already
        // ends with one (tracked here rather than read back, which would stall on the store
        // just made); a trailing space is dropped at the end.
        var atSpaceOrStart = true
        func writeSpace() {
            if !atSpaceOrStart {
                target[written] = 0x20
                written += 1
                atSpaceOrStart = true
            }
        }
        while read < count {
            if read + 8 <= count {
                // Copy the word's plain bytes up to the first one that needs care. All eight are
                // stored (written + 8 <= read - start + 8 <= out.count); later bytes overwrite the rest.
                let word = UInt64(littleEndian: UnsafeRawPointer(source).loadUnaligned(fromByteOffset: read, as: UInt64.self))
                let special = Word.specialBytes(word, collapsing: collapsing, afterSpace: atSpaceOrStart)
                let plain = special == 0 ? 8 : special.trailingZeroBitCount >> 3
                if plain > 0 {
                    UnsafeMutableRawPointer(target).storeBytes(of: word.littleEndian, toByteOffset: written, as: UInt64.self)
                    read += plain
                    written += plain
                    atSpaceOrStart = (word >> UInt64(plain * 8 - 8)) & 0xFF == 0x20
                    continue
                }
            }
            let byte = source[read]
            if byte > 0x20, byte < 0x80, byte != UInt8(ascii: "\\"), byte != UInt8(ascii: "\"") {
                target[written] = byte
                written += 1
                read += 1
                atSpaceOrStart = false
                continue
            }
            if byte == UInt8(ascii: "\"") { break }
            if collapsing, let length = whitespaceLength(raw, at: read) {
                writeSpace()
                read += length
                continue
            }
            guard byte == UInt8(ascii: "\\") else {
                target[written] = byte  // a byte of a multi-byte character, or one kept as is
                written += 1
                read += 1
                atSpaceOrStart = byte == 0x20
                continue
            }
            _ = try escapeLength(raw, at: read)
            let (scalar, length) = escapedScalar(raw, at: read)
            read += length
            if collapsing, scalar.value < 0x20 || scalar.properties.isWhitespace {
                writeSpace()
            } else if let encoded = UTF8.encode(scalar) {
                for unit in encoded {
                    target[written] = unit
                    written += 1
                }
                atSpaceOrStart = scalar == " "
            }
        }
        if collapsing, written > 0, atSpaceOrStart { written -= 1 }
        return (written, read)
    }

    /// Decodes bounded, already checked string content (no closing quote inside) into `out`.
    static func decodeChecked(_ raw: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, collapsing: Bool) -> Int {
        (try? decode(raw, into: out, collapsing: collapsing))?.written ?? 0
    }

    /// Raw string contents decoded, collapsed and joined by single spaces, empty ones skipped,
    /// into one new string (`first last suffix` author names, without three strings per name).
    static func joined(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>, _ third: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: first.count + second.count + third.count + 2) { out in
            var written = 0
            for part in [first, second, third] where !part.isEmpty {
                let separator = written > 0 ? 1 : 0
                let length = decodeChecked(part, into: UnsafeMutableBufferPointer(rebasing: out[(written + separator)...]), collapsing: true)
                guard length > 0 else { continue }
                if separator > 0 { out[written] = 0x20 }
                written += separator + length
            }
            return written
        }
    }

    /// The scalar an escape at `index` stands for, and the escape's length.
    private static func escapedScalar(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int) {
        switch raw[index + 1] {
        case UInt8(ascii: "b"): return ("\u{08}", 2)
        case UInt8(ascii: "f"): return ("\u{0C}", 2)
        case UInt8(ascii: "n"): return ("\n", 2)
        case UInt8(ascii: "r"): return ("\r", 2)
        case UInt8(ascii: "t"): return ("\t", 2)
        case UInt8(ascii: "u"): break
        case let other: return (Unicode.Scalar(other), 2)  // \" \\ \/
        }
        let unit = hex4(raw, at: index + 2)
        if (0xD800..<0xDC00).contains(unit), index + 12 <= raw.count, raw[index + 6] == UInt8(ascii: "\\"),
           raw[index + 7] == UInt8(ascii: "u"), (index + 8..<index + 12).allSatisfy({ hexValue(raw[$0]) != nil }) {
            let low = hex4(raw, at: index + 8)
            if (0xDC00..<0xE000).contains(low) {
                return (Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}", 12)
            }
        }
        return (Unicode.Scalar(unit) ?? "\u{FFFD}", 6)  // a lone surrogate has no scalar
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        (index..<index + 4).reduce(0) { $0 << 4 | (hexValue(raw[$1]) ?? 0) }
    }

    /// The length of the raw UTF-8 whitespace character at `index` (a byte up to 0x20 or a
    /// Unicode White_Space character), or nil when something else starts there.
    private static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let byte = bytes[index]
        if byte <= 0x20 { return 1 }
        guard byte >= 0xC2, byte <= 0xE3 else { return nil }
        let remaining = bytes.count - index
        let b1: UInt8 = remaining > 1 ? bytes[index + 1] : 0
        let b2: UInt8 = remaining > 2 ? bytes[index + 2] : 0
        switch (byte, b1) {
        case (0xC2, 0x85), (0xC2, 0xA0): return 2  // U+0085, U+00A0
        case (0xE1, 0x9A) where b2 == 0x80: return 3  // U+1680
        case (0xE2, 0x80) where b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF: return 3  // U+2000–200A, 2028, 2029, 202F
        case (0xE2, 0x81) where b2 == 0x9F: return 3  // U+205F
        case (0xE3, 0x80) where b2 == 0x80: return 3  // U+3000
        default: return nil
        }
    }

    /// Tests on eight bytes at once (SWAR), so runs of plain text are checked and copied a
    /// word at a time. Words are little-endian: the first byte is the lowest.
    private enum Word {
        static let highBits: UInt64 = 0x8080_8080_8080_8080
        static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        static let quotes: UInt64 = 0x2222_2222_2222_2222
        static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
        static let spaces: UInt64 = 0x2020_2020_2020_2020

        /// The high bit of every byte of `word` that is zero, and no other bit.
        @inline(__always)
        static func zeroBytes(_ word: UInt64) -> UInt64 {
            ~(((word & lowBits) &+ lowBits) | word | lowBits)
        }

        /// The high bit of every byte below `limit` (at most 0x80), for bytes below 0x80.
        @inline(__always)
        static func bytesBelow(_ word: UInt64, _ limit: UInt64) -> UInt64 {
            ~((word | highBits) &- limit) & highBits
        }

        /// The high bit of every byte that cannot simply be copied: not printable ASCII, a
        /// backslash or quote, and — when collapsing — a space right after a space (or first, after a
        /// space or at the start of the output).
        @inline(__always)
        static func specialBytes(_ word: UInt64, collapsing: Bool, afterSpace: Bool) -> UInt64 {
            var special = (word & highBits) | zeroBytes(word ^ backslashes) | zeroBytes(word ^ quotes) | bytesBelow(word, spaces)
            if collapsing {
                let spacesAt = zeroBytes(word ^ spaces)
                special |= spacesAt & (spacesAt << 8)
                if afterSpace { special |= spacesAt & 0x80 }
            }
            return special
        }
    }
}
