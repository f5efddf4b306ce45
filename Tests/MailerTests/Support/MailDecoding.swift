import Foundation

/// Test-only decoders for what the renderer encodes, written from the RFCs independently of it.
enum MailDecoding {
    /// RFC 2045 quoted-printable: soft breaks removed, `=XX` decoded, hard breaks as LF.
    static func quotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let lines = text.components(separatedBy: "\r\n")
        for (index, line) in lines.enumerated() {
            var characters = Array(line.utf8)[...]
            var soft = false
            if characters.last == UInt8(ascii: "=") {
                soft = true
                characters = characters.dropLast()
            }
            var i = characters.startIndex
            while i < characters.endIndex {
                if characters[i] == UInt8(ascii: "="), i + 2 < characters.endIndex,
                   let value = UInt8(String(decoding: characters[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    i += 3
                } else {
                    bytes.append(characters[i])
                    i += 1
                }
            }
            if !soft, index < lines.count - 1 { bytes.append(0x0A) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A header value of RFC 2047 Q encoded-words (UTF-8) separated by folding whitespace.
    static func encodedWords(_ value: String) -> String? {
        var bytes: [UInt8] = []
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\r" || $0 == "\n" }) {
            guard word.hasPrefix("=?UTF-8?Q?"), word.hasSuffix("?=") else { return nil }
            let body = Array(word.dropFirst(10).dropLast(2).utf8)
            var i = 0
            while i < body.count {
                if body[i] == UInt8(ascii: "="), i + 2 < body.count,
                   let value = UInt8(String(decoding: body[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    i += 3
                } else {
                    bytes.append(body[i] == UInt8(ascii: "_") ? 0x20 : body[i])
                    i += 1
                }
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The lines of `bytes` split on CRLF, and whether any LF or CR stood alone.
    static func lines(_ bytes: [UInt8]) -> (lines: [ArraySlice<UInt8>], bareLineBreaks: Int) {
        var lines: [ArraySlice<UInt8>] = []
        var bare = 0
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                lines.append(bytes[start..<i])
                i += 2
                start = i
                continue
            }
            if bytes[i] == 0x0D || bytes[i] == 0x0A { bare += 1 }
            i += 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return (lines, bare)
    }

    /// The header block of a rendered message, unfolded: name and value per field.
    static func headers(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in lines(bytes).lines {
            if line.isEmpty { break }
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix(" ") || text.hasPrefix("\t"), let last = fields.popLast() {
                fields.append((last.name, last.value + text))
            } else if let colon = text.firstIndex(of: ":") {
                fields.append((String(text[..<colon]), String(text[text.index(after: colon)...].dropFirst())))
            }
        }
        return fields
    }
}
