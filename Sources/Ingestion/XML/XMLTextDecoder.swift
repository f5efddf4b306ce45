import Foundation

/// Turns the raw bytes of character data, a CDATA section or an attribute value into a
/// `String`, working on bytes: entities and character references decoded, line ends
/// normalized (`\r\n` and `\r` → `\n`), UTF-8 decoded once per run with invalid bytes
/// replaced by U+FFFD and their lines recorded, so one bad byte costs one record, not the file.
enum XMLTextDecoder {
    struct Decoded {
        var text: String
        /// Line feeds in the input bytes, so the reader can keep its line count.
        var newlines: Int
        var invalidUTF8Lines: [Int]
        /// The first bad entity, when there is one; it is kept in the text as written.
        var problem: XMLSyntaxError?
    }

    /// How the bytes are to be read.
    enum Content {
        /// Element content: entities decoded.
        case characterData
        /// An attribute value: entities decoded and tab, line feed, carriage return → space.
        case attributeValue
        /// A CDATA section or a name: taken as written.
        case literal
    }

    /// At most this many invalid-UTF-8 lines are recorded per run: the first one is what a
    /// rejection names, and a run of binary garbage must not make the list grow without bound.
    static let maximumInvalidLinesRecorded = 16

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, as content: Content) -> Decoded {
        // Separate simple passes: the counting loop vectorizes and memchr is fast, which beats
        // one loop with a branch per byte on the megabytes of abstracts in a harvest page.
        var newlines = 0
        for byte in bytes where byte == XMLByte.lineFeed { newlines += 1 }
        var needsRewrite = contains(XMLByte.carriageReturn, in: bytes)
            || (content != .literal && contains(XMLByte.ampersand, in: bytes))
        if content == .attributeValue, !needsRewrite {
            needsRewrite = newlines > 0 || contains(XMLByte.tab, in: bytes)
        }
        let invalidLines = isASCII(bytes) ? [] : invalidUTF8Lines(in: bytes, firstLine: firstLine)
        var problem: XMLSyntaxError?
        let text = needsRewrite
            ? String(decoding: rewrite(bytes, firstLine: firstLine, content: content, problem: &problem), as: UTF8.self)
            : String(decoding: bytes, as: UTF8.self)
        return Decoded(text: text, newlines: newlines, invalidUTF8Lines: invalidLines, problem: problem)
    }

    /// Whether every byte is ASCII, eight at a time.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var high: UInt64 = 0
        while index + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        var tail: UInt8 = 0
        while index < bytes.count {
            tail |= bytes[index]
            index += 1
        }
        return high & 0x8080_8080_8080_8080 == 0 && tail < 0x80
    }

    private static func contains(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, Int32(byte), bytes.count) != nil
    }

    /// The bytes with entities decoded and line ends normalized; the first bad entity is
    /// reported through `problem` and copied as written.
    private static func rewrite(
        _ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, content: Content, problem: inout XMLSyntaxError?
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let whitespaceToSpace = content == .attributeValue
        var line = firstLine
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case XMLByte.ampersand where content != .literal:
                if let (scalar, length) = entity(in: bytes, at: index) {
                    UTF8.encode(scalar) { out.append($0) }
                    index += length
                    continue
                }
                if problem == nil { problem = badEntityProblem(in: bytes, at: index, line: line) }
                out.append(byte)
            case XMLByte.carriageReturn:
                out.append(whitespaceToSpace ? XMLByte.space : XMLByte.lineFeed)
                if index + 1 < bytes.count, bytes[index + 1] == XMLByte.lineFeed {
                    index += 1
                    line += 1
                }
            case XMLByte.lineFeed:
                out.append(whitespaceToSpace ? XMLByte.space : XMLByte.lineFeed)
                line += 1
            case XMLByte.tab where whitespaceToSpace:
                out.append(XMLByte.space)
            default:
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    /// The character an entity or character reference at `start` stands for, and its length
    /// in bytes including `&` and `;`; nil when it is not one XML knows without a DTD.
    static func entity(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (Unicode.Scalar, Int)? {
        let limit = min(bytes.count, start + 12)
        var semicolon = start + 1
        while semicolon < limit, bytes[semicolon] != XMLByte.semicolon { semicolon += 1 }
        guard semicolon < limit, semicolon > start + 1 else { return nil }
        let name = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<semicolon])
        let length = semicolon - start + 1
        if name[0] == XMLByte.numberSign {
            guard let value = characterReference(UnsafeBufferPointer(rebasing: name[1...])),
                  isXMLCharacter(value), let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, length)
        }
        switch String(decoding: name, as: UTF8.self) {
        case "lt": return ("<", length)
        case "gt": return (">", length)
        case "amp": return ("&", length)
        case "quot": return ("\"", length)
        case "apos": return ("'", length)
        default: return nil
        }
    }

    /// The code point of `NN` (decimal) or `xHH` (hexadecimal).
    private static func characterReference(_ digits: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard let first = digits.first else { return nil }
        let hex = first == UInt8(ascii: "x")
        let body = UnsafeBufferPointer(rebasing: digits[(hex ? 1 : 0)...])
        guard !body.isEmpty, body.count <= 8 else { return nil }
        var value: UInt32 = 0
        for byte in body {
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value * (hex ? 16 : 10) + digit
        }
        return value
    }

    /// Whether XML 1.0 allows the code point in a document.
    private static func isXMLCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    private static func badEntityProblem(in bytes: UnsafeBufferPointer<UInt8>, at start: Int, line: Int) -> XMLSyntaxError {
        var end = start + 1
        let limit = min(bytes.count, start + 24)
        while end < limit, bytes[end] != XMLByte.semicolon, bytes[end] > XMLByte.space, bytes[end] != XMLByte.ampersand {
            end += 1
        }
        let hasSemicolon = end < bytes.count && bytes[end] == XMLByte.semicolon
        let written = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(hasSemicolon ? end + 1 : end)]), as: UTF8.self)
        let message = hasSemicolon
            ? "unknown entity or bad character reference \"\(written)\" (kept as written)"
            : "\"&\" not followed by an entity name and \";\" near \"\(written)\" (write it as &amp;)"
        return XMLSyntaxError(.badEntity, line: line, message)
    }

    /// `text.collapsingWhitespace`, computed on bytes: the same result (every run of Unicode
    /// whitespace or control characters becomes one space, ends trimmed) about twenty times
    /// faster, which matters for the abstracts that make up most of a harvest page.
    static func collapsingWhitespace(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte <= XMLByte.space {
                    pendingSpace = !out.isEmpty
                    index += 1
                    continue
                }
                var length = 1
                if byte >= 0x80 {
                    length = min(byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2, bytes.count - index)
                    // Only U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000 are non-ASCII whitespace.
                    if byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3,
                       let scalar = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<(index + length)]),
                                           as: UTF8.self).unicodeScalars.first,
                       scalar.properties.isWhitespace || scalar.value < 0x20 {
                        pendingSpace = !out.isEmpty
                        index += length
                        continue
                    }
                }
                if pendingSpace {
                    out.append(XMLByte.space)
                    pendingSpace = false
                }
                for offset in 0..<length { out.append(bytes[index + offset]) }
                index += length
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The lines holding bytes that are not UTF-8 (overlong forms, surrogates and code points
    /// beyond U+10FFFF included), each once, in order.
    static func invalidUTF8Lines(in bytes: UnsafeBufferPointer<UInt8>, firstLine: Int) -> [Int] {
        var lines: [Int] = []
        var line = firstLine
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == XMLByte.lineFeed { line += 1 }
                index += 1
                continue
            }
            let length = validSequenceLength(bytes, at: index)
            if length == 0 {
                if lines.last != line, lines.count < maximumInvalidLinesRecorded { lines.append(line) }
                index += 1
            } else {
                index += length
            }
        }
        return lines
    }

    /// The length of the well-formed UTF-8 sequence starting at `index`, or 0 when it is not one.
    private static func validSequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < bytes.count && range.contains(bytes[index + offset])
        }
        switch bytes[index] {
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }
}

/// The bytes and byte classes of XML syntax.
enum XMLByte {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let ampersand = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let numberSign = UInt8(ascii: "#")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let slash = UInt8(ascii: "/")
    static let questionMark = UInt8(ascii: "?")
    static let exclamationMark = UInt8(ascii: "!")
    static let equalsSign = UInt8(ascii: "=")
    static let quotationMark = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let hyphen = UInt8(ascii: "-")
    static let leftSquareBracket = UInt8(ascii: "[")
    static let rightSquareBracket = UInt8(ascii: "]")
    static let colon = UInt8(ascii: ":")

    /// XML whitespace: space, tab, line feed, carriage return.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == lineFeed || byte == tab || byte == carriageReturn
    }

    /// A byte that can start an XML name (non-ASCII bytes are taken as part of a UTF-8 letter).
    static func isNameStart(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
            || byte == colon || byte >= 0x80
    }

    /// A byte that can continue an XML name.
    static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == hyphen
            || byte == UInt8(ascii: ".")
    }
}
