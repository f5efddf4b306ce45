/// The quoted-printable encoding of RFC 2045 §6.7 for text bodies: readable where the text is
/// ASCII, 7-bit clean everywhere, and never a line longer than 76 characters, so any UTF-8 text
/// survives every relay (including those that would break a long or 8-bit line).
enum QuotedPrintable {
    static let maximumLineLength = 76

    /// Encodes `text`'s UTF-8 bytes. Each line break of the text (CRLF, CR or LF) becomes a CRLF
    /// hard break; longer lines get soft breaks (`=` CRLF) that never split an `=XX` triplet.
    /// The result has no final line break: a MIME boundary supplies it.
    static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        var first = true
        for line in lines(of: Array(text.utf8)) {
            if !first { output += [0x0D, 0x0A] }
            first = false
            encodeLine(line, into: &output)
        }
        return output
    }

    /// Splits on CRLF, lone CR and lone LF, keeping empty lines.
    private static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                result.append(bytes[start..<index])
                index += (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        result.append(bytes[start..<bytes.count])
        return result
    }

    private static func encodeLine(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) {
        var column = 0
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            let isLast = index == line.index(before: line.endIndex)
            let literal: Bool
            switch byte {
            case 0x20, 0x09:
                literal = !isLast  // whitespace at the end of a line would be stripped on the way
            case UInt8(ascii: "F") where column == 0 && startsWithFrom(line[index...]):
                literal = false  // "From " at a line start is mangled by mbox writers
            case 0x21...0x7E:
                literal = byte != UInt8(ascii: "=")
            default:
                literal = false
            }
            let width = literal ? 1 : 3
            // The last token may use column 76; any other must leave room for the soft break's "=".
            if column + width > (isLast ? maximumLineLength : maximumLineLength - 1) {
                output += [UInt8(ascii: "="), 0x0D, 0x0A]
                column = 0
                if byte == UInt8(ascii: "F"), startsWithFrom(line[index...]) {
                    appendEscaped(byte, to: &output)
                    column = 3
                    index += 1
                    continue
                }
            }
            if literal { output.append(byte) } else { appendEscaped(byte, to: &output) }
            column += width
            index += 1
        }
    }

    private static func startsWithFrom(_ rest: ArraySlice<UInt8>) -> Bool {
        rest.starts(with: "From ".utf8)
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        output += [UInt8(ascii: "="), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }
}
