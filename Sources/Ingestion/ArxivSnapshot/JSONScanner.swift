/// Why a JSON text could not be read, and where (a byte offset into the scanned text): either
/// broken syntax, or a well-formed value of a kind the caller cannot use.
struct JSONSyntaxError: Error {
    var message: String
    var offset: Int
    /// The JSON is fine but the value is not what the field needs (`message` then reads as a
    /// predicate: "is a number, expected a string").
    var isWrongValue = false
}

/// The kinds of JSON value, named as error messages name them.
enum JSONValueKind: String {
    case string = "a string", number = "a number", object = "an object", array = "an array"
    case boolean = "a boolean", null = "null"
}

/// A member name as it stands in the text, matched against the names a caller knows without
/// building a `String` for every key of every line.
struct JSONKey {
    /// The name's bytes between the quotes, escapes not decoded.
    let raw: UnsafeBufferPointer<UInt8>
    let hasEscape: Bool

    func matches(_ name: StaticString) -> Bool {
        if hasEscape { return text == name.description }
        guard raw.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { $0.elementsEqual(raw) }
    }

    /// The decoded name, for messages.
    var text: String {
        String(unsafeUninitializedCapacity: raw.count) { out in
            JSONStringDecoder.decodeChecked(raw, into: out, collapsing: false)
        }
    }
}

/// Where a caller is inside an object or array, so commas are required between members.
struct JSONContainerCursor {
    fileprivate var isFirst = true
}

/// A forward-only reader of one JSON text in memory that decodes only what its caller asks
/// for and skips the rest: the snapshot holds millions of lines, and Foundation's decoders
/// spend most of their time building values nobody reads.
///
/// `bytes` must stay valid while the scanner is used, and hold valid UTF-8 (the caller checks
/// the whole line once), so decoded strings never need repairing.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// Room to decode collapsed strings into; handed from line to line by the caller so it is
    /// allocated once.
    var scratch: [UInt8]

    init(bytes: UnsafeBufferPointer<UInt8>, scratch: [UInt8] = []) {
        self.bytes = bytes
        self.scratch = scratch
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Whether only whitespace is left.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// The kind of the next value, judged by its first byte; nil at the end or on a byte no
    /// JSON value starts with.
    mutating func peekKind() -> JSONValueKind? {
        skipWhitespace()
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return nil
        }
    }

    /// Consumes `null` when it comes next.
    mutating func skipNull() throws(JSONSyntaxError) -> Bool {
        guard peekKind() == .null else { return false }
        try expectLiteral("null")
        return true
    }

    mutating func beginObject() throws(JSONSyntaxError) -> JSONContainerCursor {
        try expect(UInt8(ascii: "{"), "'{'")
        return JSONContainerCursor()
    }

    /// The next member's name with its `:` consumed, or nil after the object's `}`.
    mutating func nextKey(in cursor: inout JSONContainerCursor) throws(JSONSyntaxError) -> JSONKey? {
        guard try hasNext(in: &cursor, closing: UInt8(ascii: "}")) else { return nil }
        guard peekKind() == .string else { throw error("expected a member name in quotes") }
        let (start, end, hasEscape) = try stringExtent()
        try expect(UInt8(ascii: ":"), "':' after a member name")
        return JSONKey(raw: UnsafeBufferPointer(rebasing: bytes[start..<end]), hasEscape: hasEscape)
    }

    mutating func beginArray() throws(JSONSyntaxError) -> JSONContainerCursor {
        try expect(UInt8(ascii: "["), "'['")
        return JSONContainerCursor()
    }

    /// Whether another element follows (its leading comma consumed); false after the `]`.
    mutating func nextElement(in cursor: inout JSONContainerCursor) throws(JSONSyntaxError) -> Bool {
        try hasNext(in: &cursor, closing: UInt8(ascii: "]"))
    }

    private mutating func hasNext(in cursor: inout JSONContainerCursor, closing: UInt8) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard position < bytes.count else { throw error("the text ends before the closing '\(Character(Unicode.Scalar(closing)))'") }
        if bytes[position] == closing {
            position += 1
            return false
        }
        if cursor.isFirst {
            cursor.isFirst = false
        } else {
            try expect(UInt8(ascii: ","), "',' or '\(Character(Unicode.Scalar(closing)))'")
        }
        return true
    }

    /// Reads a string value, decoding every escape (surrogate pairs included; a lone surrogate
    /// becomes U+FFFD). With `collapsingWhitespace`, runs of whitespace become one space and the
    /// ends are trimmed, exactly as `String.collapsingWhitespace` does, in the same pass.
    mutating func readString(collapsingWhitespace collapsing: Bool = false) throws(JSONSyntaxError) -> String {
        if collapsing { return try readCollapsedString() }
        let (start, end, hasEscape) = try stringExtent()
        let content = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !hasEscape { return String(decoding: content, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: content.count) { out in
            JSONStringDecoder.decodeChecked(content, into: out, collapsing: false)
        }
    }

    /// A string collapsed in one pass over the text: decoded into `scratch`, sized for the rest
    /// of the text, while looking for the closing quote. Titles and abstracts, the longest
    /// strings of a line, are so read once instead of twice.
    private mutating func readCollapsedString() throws(JSONSyntaxError) -> String {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        if scratch.count < bytes.count - start { scratch = [UInt8](repeating: 0, count: bytes.count - start) }
        let outcome = scratch.withUnsafeMutableBufferPointer { out in
            Result { () throws(JSONSyntaxError) in try JSONStringDecoder.decode(bytes, from: start, into: out, collapsing: true) }
        }
        let (written, end) = try outcome.get()
        guard end < bytes.count else { throw error("the text ends inside a string", at: position) }
        position = end + 1
        return scratch.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[0..<written]), as: UTF8.self) }
    }

    /// Calls `body` with a string value's UTF-8 bytes: the raw bytes in place when the string
    /// has no escapes (dates, version tags), a decoded copy otherwise.
    mutating func withStringBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) throws(JSONSyntaxError) -> T {
        let (start, end, hasEscape) = try stringExtent()
        let content = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if !hasEscape { return body(content) }
        var text = String(unsafeUninitializedCapacity: content.count) { out in
            JSONStringDecoder.decodeChecked(content, into: out, collapsing: false)
        }
        return text.withUTF8(body)
    }

    /// A string value's content as it stands in the text (escapes checked, not decoded), for
    /// callers that decode several strings into one (see `JSONStringDecoder.joined`).
    mutating func readRawString() throws(JSONSyntaxError) -> UnsafeBufferPointer<UInt8> {
        let (start, end, _) = try stringExtent()
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Finds the string starting at `position` (its opening quote), checks its escapes, and
    /// moves past its closing quote. Returns the content's bounds.
    private mutating func stringExtent() throws(JSONSyntaxError) -> (start: Int, end: Int, hasEscape: Bool) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
        let start = position + 1
        guard let (end, hasEscape) = try JSONStringDecoder.extent(of: bytes, from: start) else {
            throw error("the text ends inside a string", at: position)
        }
        position = end + 1
        return (start, end, hasEscape)
    }

    /// Skips one value of any kind without decoding it, tracking strings and nesting.
    mutating func skipValue() throws(JSONSyntaxError) {
        guard let kind = peekKind() else { throw error("expected a value") }
        switch kind {
        case .string:
            _ = try stringExtent()
        case .object, .array:
            let start = position
            var depth = 0
            var inString = false
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if inString {
                    if byte == UInt8(ascii: "\\") { position += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return }
                default: break
                }
            }
            throw error("the text ends inside \(kind.rawValue)", at: start)
        case .boolean:
            if bytes[position] == UInt8(ascii: "t") { try expectLiteral("true") } else { try expectLiteral("false") }
        case .null:
            try expectLiteral("null")
        case .number:
            _ = try readNumberText()
        }
    }

    /// The text of a number (validated only loosely: sign, digits, fraction, exponent).
    mutating func readNumberText() throws(JSONSyntaxError) -> Substring {
        skipWhitespace()
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                guard position > start else { throw error("expected a number") }
                return Substring(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            }
        }
        guard position > start else { throw error("expected a number") }
        return Substring(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("expected \(literal)") }
        let matches = literal.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[position + $0] == expected[$0] }
        }
        guard matches else { throw error("expected \(literal)") }
        position += count
    }

    private mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < bytes.count else { throw error("the text ends where \(what()) was expected") }
        guard bytes[position] == byte else { throw error("expected \(what()), found \(JSONArrayReader.describe(bytes[position]))") }
        position += 1
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: offset ?? position)
    }

    /// A well-formed value the caller cannot use; `predicate` completes "field \"x\" …".
    func wrongValue(_ predicate: String) -> JSONSyntaxError {
        JSONSyntaxError(message: predicate, offset: position, isWrongValue: true)
    }

    /// The value ahead is not of the `expected` kind.
    mutating func wrongKind(expected: String) -> JSONSyntaxError {
        wrongValue("is \(peekKind()?.rawValue ?? "not a JSON value"), expected \(expected)")
    }
}
