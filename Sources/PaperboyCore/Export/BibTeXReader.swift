/// One entry of a BibTeX file: `@article{key, title = {…}, …}`.
public struct BibTeXEntry: Sendable, Hashable {
    /// The entry type, lowercased (`article`, `misc`).
    public var type: String
    public var key: String
    /// Field names lowercased; values with `@string` macros expanded and `#` joined, the
    /// outer braces or quotes removed, inner braces kept.
    public var fields: [String: String]
    /// The line the entry's `@` is on (1-based).
    public var line: Int

    public init(type: String, key: String, fields: [String: String], line: Int) {
        self.type = type
        self.key = key
        self.fields = fields
        self.line = line
    }

    /// A field as plain text: braces dropped, runs of whitespace made one space.
    public func text(_ name: String) -> String? {
        guard let value = fields[name] else { return nil }
        let plain = value.filter { $0 != "{" && $0 != "}" }
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return plain.isEmpty ? nil : plain
    }
}

/// Something in a BibTeX file that could not be read, with its line.
public struct BibTeXProblem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public var description: String { "line \(line): \(reason)" }
}

/// Reads BibTeX as people's files hold it: braces nested in values, quoted values (with
/// braces inside), numbers, `@string` macros joined with `#`, month names, `@comment` and
/// `@preamble` blocks, text between entries, and `(…)` as well as `{…}` around an entry.
///
/// A malformed entry is reported with its line and skipped; reading goes on at the next
/// line that starts with `@`, so one broken entry never costs the ones after it.
public enum BibTeXReader {
    public static func read(_ text: String) -> (entries: [BibTeXEntry], problems: [BibTeXProblem]) {
        var scanner = Scanner(bytes: Array(text.utf8))
        var entries: [BibTeXEntry] = []
        var problems: [BibTeXProblem] = []
        while scanner.skip(to: UInt8(ascii: "@")) {
            let start = scanner.position, line = scanner.line
            do {
                if let entry = try scanner.entry() { entries.append(entry) }
            } catch let failure as Failure {
                problems.append(BibTeXProblem(line: line, reason: failure.reason))
                scanner.resynchronize(after: start, line: line)
            } catch {
                preconditionFailure("the scanner throws only its own failures")
            }
        }
        return (entries, problems)
    }

    struct Failure: Error {
        var reason: String
    }

    /// The months BibTeX predefines as macros.
    static let months: [String: String] = [
        "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
        "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
    ]

    /// A cursor over the file's bytes that counts lines. Every delimiter BibTeX has is ASCII,
    /// so scanning bytes is exact for UTF-8 text; values are decoded back to strings whole.
    struct Scanner {
        let bytes: [UInt8]
        var position = 0
        var line = 1
        var macros = BibTeXReader.months

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func advance() {
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }

        /// Moves to the next `byte`, returning false at the end of the file.
        mutating func skip(to byte: UInt8) -> Bool {
            while let c = current, c != byte { advance() }
            return current != nil
        }

        mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { advance() }
        }

        /// After a failed entry: on to the next line whose first non-blank character is `@`.
        mutating func resynchronize(after start: Int, line startLine: Int) {
            position = start
            line = startLine
            advance()
            var atLineStart = false
            while let c = current {
                if c == UInt8(ascii: "\n") {
                    atLineStart = true
                } else if c == UInt8(ascii: "@") && atLineStart {
                    return
                } else if c != 0x20 && c != 0x09 && c != 0x0D {
                    atLineStart = false
                }
                advance()
            }
        }

        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        static func isNameByte(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "/"),
                 UInt8(ascii: "'"), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "&"), UInt8(ascii: ";"): true
            default: c >= 0x80
            }
        }

        mutating func name() -> String {
            let start = position
            while let c = current, Self.isNameByte(c) { advance() }
            return string(start..<position)
        }

        /// Reads from `@` through the entry's closing delimiter. Nil for `@comment`,
        /// `@preamble` and `@string` (which defines a macro) and for a lone `@` in text.
        mutating func entry() throws -> BibTeXEntry? {
            let line = self.line
            advance()  // @
            skipWhitespace()
            let type = name().lowercased()
            guard !type.isEmpty else { return nil }
            skipWhitespace()
            guard let open = current, open == UInt8(ascii: "{") || open == UInt8(ascii: "(") else {
                // `@comment` as a line comment, or an `@` inside text between entries (an
                // address): only an `@` that starts a line was meant to start an entry.
                if type == "comment" || !startsLine() { return nil }
                throw Failure(reason: "@\(type) is not followed by { or (")
            }
            let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ")")
            switch type {
            case "comment", "preamble":
                if open == UInt8(ascii: "{") { _ = try braced(from: line) } else { try skipParenthesized() }
                return nil
            case "string":
                advance()
                skipWhitespace()
                let macro = name().lowercased()
                guard !macro.isEmpty else { throw Failure(reason: "@string needs a name") }
                skipWhitespace()
                guard current == UInt8(ascii: "=") else { throw Failure(reason: "@string{\(macro) …} needs = before its value") }
                advance()
                macros[macro] = try value(field: macro)
                skipWhitespace()
                guard current == close else { throw Failure(reason: "@string{\(macro) …} is not closed") }
                advance()
                return nil
            default:
                advance()
                return try fields(type: type, line: line, close: close)
            }
        }

        mutating func fields(type: String, line: Int, close: UInt8) throws -> BibTeXEntry {
            skipWhitespace()
            var key = name()
            skipWhitespace()
            var fields: [String: String] = [:]
            var pendingName: String?
            if current == UInt8(ascii: "=") {
                pendingName = key.lowercased()  // no key: what was read names the first field
                key = ""
            } else if current == UInt8(ascii: ",") {
                advance()
            } else if current != close {
                throw Failure(reason: "@\(type){\(key): expected a comma after the citation key")
            }
            let label = key.isEmpty ? "@\(type)" : "@\(type){\(key)}"
            while true {
                skipWhitespace()
                if pendingName == nil {
                    guard let c = current else { throw Failure(reason: "\(label) is never closed") }
                    if c == close {
                        advance()
                        return BibTeXEntry(type: type, key: key, fields: fields, line: line)
                    }
                    pendingName = name().lowercased()
                    guard pendingName?.isEmpty == false else {
                        throw Failure(reason: "\(label): expected a field name, found \"\(string(position..<min(position + 1, bytes.count)))\"")
                    }
                    skipWhitespace()
                }
                let field = pendingName ?? ""
                pendingName = nil
                guard current == UInt8(ascii: "=") else { throw Failure(reason: "\(label): the field \(field) needs = before its value") }
                advance()
                fields[field] = try value(field: "\(label) \(field)")
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    advance()
                } else if current != close {
                    throw Failure(reason: "\(label): expected a comma or the entry's end after the field \(field)")
                }
            }
        }

        /// A value: pieces (`{…}`, `"…"`, a number, a macro) joined by `#`.
        mutating func value(field: String) throws -> String {
            var result = ""
            while true {
                skipWhitespace()
                guard let c = current else { throw Failure(reason: "\(field): the value is missing at the end of the file") }
                switch c {
                case UInt8(ascii: "{"):
                    result += try braced(from: line)
                case UInt8(ascii: "\""):
                    result += try quoted()
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let start = position
                    while let d = current, d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") { advance() }
                    result += string(start..<position)
                default:
                    let macro = name().lowercased()
                    guard !macro.isEmpty else { throw Failure(reason: "\(field): expected a value") }
                    guard let expansion = macros[macro] else { throw Failure(reason: "\(field): unknown @string macro \(macro)") }
                    result += expansion
                }
                skipWhitespace()
                guard current == UInt8(ascii: "#") else { return result }
                advance()
            }
        }

        /// `{…}` with nested braces; returns what is inside the outer pair.
        mutating func braced(from line: Int) throws -> String {
            let opened = self.line
            advance()
            let start = position
            var depth = 1
            while let c = current {
                if c == UInt8(ascii: "{") {
                    depth += 1
                } else if c == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 {
                        let inside = string(start..<position)
                        advance()
                        return inside
                    }
                } else if c == UInt8(ascii: "\\"), position + 1 < bytes.count,
                          bytes[position + 1] == UInt8(ascii: "{") || bytes[position + 1] == UInt8(ascii: "}") {
                    advance()  // \{ and \} are literal braces
                }
                advance()
            }
            throw Failure(reason: "a { opened on line \(opened) is never closed")
        }

        /// `(…)` around a comment or preamble, with nested parentheses.
        mutating func skipParenthesized() throws {
            let opened = line
            var depth = 0
            while let c = current {
                if c == UInt8(ascii: "(") { depth += 1 }
                if c == UInt8(ascii: ")") { depth -= 1 }
                advance()
                if depth == 0 { return }
            }
            throw Failure(reason: "a ( opened on line \(opened) is never closed")
        }

        /// Whether only blanks come before the last `@` read on its line: an entry starts a line.
        func startsLine() -> Bool {
            var i = position - 1
            while i >= 0, bytes[i] != UInt8(ascii: "@") { i -= 1 }
            i -= 1
            while i >= 0, bytes[i] == 0x20 || bytes[i] == 0x09 { i -= 1 }
            return i < 0 || bytes[i] == 0x0A || bytes[i] == 0x0D
        }

        /// `"…"`: ends at a `"` outside braces.
        mutating func quoted() throws -> String {
            let opened = line
            advance()
            let start = position
            var depth = 0
            while let c = current {
                if c == UInt8(ascii: "{") { depth += 1 }
                if c == UInt8(ascii: "}") { depth -= 1 }
                if c == UInt8(ascii: "\"") && depth <= 0 {
                    let inside = string(start..<position)
                    advance()
                    return inside
                }
                advance()
            }
            throw Failure(reason: "a \" opened on line \(opened) is never closed")
        }
    }
}
