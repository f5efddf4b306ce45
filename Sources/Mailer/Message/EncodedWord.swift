/// RFC 2047 encoded-words (`=?UTF-8?Q?...?=`) for header text that is not plain ASCII, so a
/// subject or a name in any language reaches every mail program intact, and for text that would
/// otherwise read as an encoded-word or not fold.
enum EncodedWord {
    /// RFC 2047 §2: an encoded-word is at most 75 characters.
    static let maximumLength = 75
    private static let prefix = Array("=?UTF-8?Q?".utf8)
    private static let suffix = Array("?=".utf8)

    /// Encodes `text` as a run of Q encoded-words, each at most `firstLimit` characters for the
    /// first word (which shares its line with the header name) and 75 for the others. A word
    /// always holds whole Unicode scalars: RFC 2047 §5 forbids splitting a character's bytes.
    /// Only letters, digits and `!*+-/` stay literal, the set §5(3) allows even inside a phrase,
    /// so the same words serve subjects and display names. Space becomes `_`.
    static func encode(_ text: String, firstLimit: Int = maximumLength) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        var limit = min(max(firstLimit, prefix.count + suffix.count + 12), maximumLength)
        for scalar in text.unicodeScalars {
            var piece: [UInt8] = []
            for byte in String(scalar).utf8 { append(byte, to: &piece) }
            if prefix.count + current.count + piece.count + suffix.count > limit, !current.isEmpty {
                words.append(String(decoding: prefix + current + suffix, as: UTF8.self))
                current = []
                limit = maximumLength
            }
            current += piece
        }
        if !current.isEmpty || words.isEmpty {
            words.append(String(decoding: prefix + current + suffix, as: UTF8.self))
        }
        return words
    }

    private static func append(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            output.append(byte)
        case UInt8(ascii: " "):
            output.append(UInt8(ascii: "_"))
        default:
            let digits = Array("0123456789ABCDEF".utf8)
            output += [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        }
    }
}
