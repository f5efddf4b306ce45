/// Streams the elements of a top-level JSON array one at a time, as their raw bytes, so a huge
/// array is read in flat memory and one malformed element can be rejected while the rest are
/// kept.
///
/// Elements are delimited by following string, escape and nesting state byte by byte; their
/// content is not validated here (the caller decodes each one). Structural problems — no
/// array, a missing comma, an element cut off by the end of input, an element over
/// `maxElementBytes` — come back as `.malformed` items with the line where they occur.
public struct JSONArrayReader {
    /// The largest element kept in memory; larger ones are skipped and reported.
    public static let defaultMaxElementBytes = 64 << 20

    /// One element's raw JSON text and where it starts.
    public struct Element: Sendable, Hashable {
        public var bytes: [UInt8]
        public var byteOffset: Int64
        /// 1-based line of the element's first byte.
        public var line: Int
    }

    /// What the reader found next.
    public enum Item: Sendable, Hashable {
        case element(Element)
        /// Something that is not an element the caller can decode, with a reason a person can act on.
        case malformed(line: Int, byteOffset: Int64, reason: String)
    }

    private enum Phase { case start, firstElement, element, separator, trailing, finished }

    private var source: any ByteSource
    private let chunkSize: Int
    /// Elements larger than this are skipped and come back as `.malformed`.
    public let maxElementBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// The start of the element being captured; bytes from here on survive a refill.
    private var keepFrom: Int?
    private var bufferOffset: Int64 = 0
    private var line = 1
    private var atEnd = false
    private var phase = Phase.start

    public init(
        source: any ByteSource, chunkSize: Int = LineReader.defaultChunkSize,
        maxElementBytes: Int = defaultMaxElementBytes
    ) {
        precondition(chunkSize > 0 && maxElementBytes > 0, "chunkSize and maxElementBytes must be positive")
        self.source = source
        self.chunkSize = chunkSize
        self.maxElementBytes = maxElementBytes
    }

    /// The next element or problem, or nil after the array's end. Throws only when the source
    /// cannot be read.
    public mutating func next() throws -> Item? {
        while true {
            switch phase {
            case .finished:
                return nil
            case .start:
                try skipByteOrderMark()
                try skipWhitespace()
                guard let byte = try peek() else { return finish("the input is empty, expected a JSON array") }
                guard byte == UInt8(ascii: "[") else {
                    return finish("expected a JSON array ('['), found \(Self.describe(byte))")
                }
                advance()
                phase = .firstElement
            case .firstElement:
                try skipWhitespace()
                if try peek() == UInt8(ascii: "]") {
                    advance()
                    phase = .trailing
                } else {
                    phase = .element
                }
            case .element:
                try skipWhitespace()
                guard let byte = try peek() else { return finish("the input ends before the array's closing ']'") }
                if byte == UInt8(ascii: "]") {  // a trailing comma: tolerated
                    advance()
                    phase = .trailing
                    continue
                }
                if byte == UInt8(ascii: ",") {
                    let problem = malformed("an empty element (two commas in a row)")
                    advance()
                    return problem
                }
                if byte == UInt8(ascii: "}") {
                    // No element starts with it, and capturing one would stop before it: it is
                    // passed over, or the reader would never move on.
                    let problem = malformed("a stray '}' where an element should start")
                    advance()
                    return problem
                }
                phase = .separator
                return try captureElement()
            case .separator:
                try skipWhitespace()
                guard let byte = try peek() else { return finish("the input ends before the array's closing ']'") }
                switch byte {
                case UInt8(ascii: ","):
                    advance()
                    phase = .element
                case UInt8(ascii: "]"):
                    advance()
                    phase = .trailing
                case UInt8(ascii: "}"):
                    // A stray closing brace after an element: passed over, the separator may follow.
                    let problem = malformed("expected ',' or ']' after an element, found '}'")
                    advance()
                    return problem
                default:
                    phase = .element  // read on as if the comma were there
                    return malformed("expected ',' or ']' after an element, found \(Self.describe(byte))")
                }
            case .trailing:
                try skipWhitespace()
                guard let byte = try peek() else {
                    phase = .finished
                    return nil
                }
                return finish("text after the array's closing ']': \(Self.describe(byte))")
            }
        }
    }

    /// Reads one element from its first byte to its last, keeping its bytes unless it is too large.
    private mutating func captureElement() throws -> Item {
        let startLine = line
        let startOffset = bufferOffset + Int64(position)
        keepFrom = position
        let first = buffer[position]
        let isScalar = first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"")
        var depth = 0
        var inString = false
        var escaped = false
        var size = 0
        scan: while true {
            guard let byte = try peek() else {
                keepFrom = nil
                phase = .finished
                return .malformed(
                    line: startLine, byteOffset: startOffset,
                    reason: "the input ends inside this element (is the file truncated?)")
            }
            if isScalar, Self.endsScalar(byte) { break scan }
            advance()
            size += 1
            if size > maxElementBytes { keepFrom = nil }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { break scan }
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { break scan }
                default: break
                }
            }
        }
        defer { keepFrom = nil }
        guard let from = keepFrom else {
            return .malformed(
                line: startLine, byteOffset: startOffset,
                reason: "element is \(size) bytes, more than the limit of \(maxElementBytes)")
        }
        return .element(Element(bytes: Array(buffer[from..<position]), byteOffset: startOffset, line: startLine))
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D: true
        default: false
        }
    }

    private mutating func malformed(_ reason: String) -> Item {
        .malformed(line: line, byteOffset: bufferOffset + Int64(position), reason: reason)
    }

    /// A last problem after which nothing more can be read.
    private mutating func finish(_ reason: String) -> Item {
        phase = .finished
        return malformed(reason)
    }

    private mutating func skipByteOrderMark() throws {
        while buffer.count - position < 3, !atEnd { try refill() }
        if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB,
           buffer[position + 2] == 0xBF {
            position += 3
        }
    }

    private mutating func skipWhitespace() throws {
        while let byte = try peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            advance()
        }
    }

    /// The byte at `position`, reading on when the buffer is used up; nil at the end of input.
    private mutating func peek() throws -> UInt8? {
        while position == buffer.count {
            if atEnd { return nil }
            try refill()
        }
        return buffer[position]
    }

    private mutating func advance() {
        if buffer[position] == 0x0A { line += 1 }
        position += 1
    }

    /// Drops bytes no longer needed and appends the next chunk.
    private mutating func refill() throws {
        let drop = keepFrom ?? position
        if drop > 0 {
            if buffer.capacity > 4 * chunkSize {
                buffer = Array(buffer[drop...])  // give back the memory a large element needed
            } else {
                buffer.removeSubrange(0..<drop)
            }
            bufferOffset += Int64(drop)
            position -= drop
            if let from = keepFrom { keepFrom = from - drop }
        }
        let chunk = try source.read(maxLength: chunkSize)
        if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
    }

    /// A byte as a person would recognize it in an error message.
    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
