import Foundation
import PaperboyCore

/// A pull reader of XML over a `ByteSource`: start element, end element and text events, each
/// with its line, read in chunks so memory stays flat whatever the input's size.
///
/// Ours rather than Foundation's `XMLParser` because importers need what it lacks: streaming
/// pull reading, line numbers, and going on past damage. Invalid UTF-8 is decoded as U+FFFD
/// and its lines are reported on the event; a mismatched end tag or an unknown entity is
/// thrown as an error and reading can continue; input that ends inside an element is reported
/// as a truncated document. The XML declaration, comments, processing instructions and the
/// DOCTYPE are skipped; only the five predefined entities and character references are known.
///
/// It works on bytes and decodes UTF-8 once per run of text. A single token (a text run, a tag,
/// a comment) may not exceed `maximumTokenBytes`, nor the nesting `maximumDepth`: past them it
/// stops with a fatal error rather than let one hostile token take unbounded memory.
public struct XMLEventReader {
    /// Bytes asked of the source at a time.
    public static let defaultChunkSize = 256 * 1024
    /// The default bound on a single token (a text run, a tag, a comment, a CDATA section).
    public static let defaultMaximumTokenBytes = 16 * 1024 * 1024
    /// The deepest element nesting accepted.
    public static let maximumDepth = 1_000

    /// What the reader produces next: an event or a well-formedness problem.
    enum Step {
        case event(XMLEvent)
        case problem(XMLSyntaxError)
    }

    struct OpenElement {
        var name: String
        var localName: String
        var line: Int
    }

    /// Progress through an incomplete token, kept across reads so no byte is scanned twice
    /// (a 1-byte chunk size stays linear). `offset` is relative to `position`.
    struct Scan {
        var offset = 0
        var quote: UInt8 = 0
        var bracketDepth = 0
        var firstStrayOffset: Int?
    }

    private var source: any ByteSource
    private let chunkSize: Int
    /// The largest single token kept in memory; a longer one stops the reader (memory bound).
    let maximumTokenBytes: Int
    var buffer: [UInt8] = []
    /// Index in `buffer` of the first byte not yet consumed.
    var position = 0
    var inputEnded = false
    var finished = false
    private var checkedByteOrderMark = false
    /// The line of the byte at `position`.
    public internal(set) var line = 1
    var openElements: [OpenElement] = []
    /// Steps of the last token read, in order until `nextStep` reverses them for popping.
    var queue: [Step] = []
    var scan = Scan()

    /// - Parameters:
    ///   - chunkSize: bytes read at a time; 64 KiB to 1 MiB suit files and network bodies,
    ///     tests use 1 to exercise every chunk boundary.
    ///   - maximumTokenBytes: the longest text run, tag or comment kept in memory; memory stays
    ///     below about this plus `chunkSize` whatever the input's size.
    public init(source: any ByteSource, chunkSize: Int = defaultChunkSize,
                maximumTokenBytes: Int = defaultMaximumTokenBytes) {
        precondition(chunkSize > 0 && maximumTokenBytes > 0, "chunk size and token bound must be positive")
        self.source = source
        self.chunkSize = chunkSize
        self.maximumTokenBytes = maximumTokenBytes
    }

    /// How many elements are open.
    public var depth: Int { openElements.count }

    /// The next event, or nil at the end of the document.
    ///
    /// Throws `PaperboyError` (code `.invalidInput`, cause `XMLSyntaxError` with the line) for
    /// a well-formedness problem; calling again continues after it unless the problem is fatal.
    /// Errors of the byte source are rethrown as they are.
    public mutating func next() throws -> XMLEvent? {
        switch try nextStep() {
        case .event(let event)?: return event
        case .problem(let problem)?: throw problem.asPaperboyError
        case nil: return nil
        }
    }

    /// The next event or problem as a value; throws only when the source cannot be read.
    mutating func nextStep() throws -> Step? {
        if queue.isEmpty {
            repeat {
                if finished { return nil }
                try produce()
            } while queue.isEmpty
            // Steps are taken from the end, which moves them out without shifting the rest.
            if queue.count > 1 { queue.reverse() }
        }
        return queue.popLast()
    }

    /// Reads one token and queues what it yields (possibly nothing, for a comment).
    private mutating func produce() throws {
        if !checkedByteOrderMark {
            checkedByteOrderMark = true
            if try ensure(3), buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
                position += 3
            }
        }
        guard try ensure(1) else { return finishInput() }
        if buffer[position] == XMLByte.lessThan {
            try readMarkup()
        } else {
            try readText(strayAtStart: false)
        }
    }

    // MARK: Buffer

    /// Whether `count` unconsumed bytes are available, reading more as needed.
    mutating func ensure(_ count: Int) throws -> Bool {
        while buffer.count - position < count {
            if inputEnded { return false }
            try refill()
        }
        return true
    }

    /// Drops consumed bytes and appends the next chunk; at the end of input sets `inputEnded`.
    mutating func refill() throws {
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let chunk = try source.read(maxLength: chunkSize)
        if chunk.isEmpty {
            inputEnded = true
        } else {
            buffer.append(contentsOf: chunk)
        }
    }

    /// Ends the document: input ran out, possibly inside an element or a piece of markup.
    mutating func finishInput() {
        finished = true
        let rest = buffer[position...]
        let endLine = line + rest.reduce(0) { $0 + ($1 == XMLByte.lineFeed ? 1 : 0) }
        let partialMarkup = rest.contains { !XMLByte.isWhitespace($0) }
        if let innermost = openElements.last {
            queue.append(.problem(XMLSyntaxError(
                .truncatedDocument, line: endLine,
                "input ended at line \(endLine) inside <\(innermost.name)> opened at line \(innermost.line): "
                    + "the document is truncated",
                isFatal: true)))
        } else if partialMarkup {
            queue.append(.problem(XMLSyntaxError(
                .truncatedDocument, line: endLine,
                "input ended at line \(endLine) inside markup: the document is truncated", isFatal: true)))
        }
        position = buffer.count
        line = endLine
        openElements.removeAll()
    }

    /// Stops reading because a bound was exceeded.
    mutating func stop(_ message: String) {
        queue.append(.problem(XMLSyntaxError(.limitExceeded, line: line, message, isFatal: true)))
        finished = true
        openElements.removeAll()
    }

    // MARK: Text

    /// Reads character data up to the next markup. A `<` that cannot start markup (`a < b`) is
    /// reported and kept as text.
    mutating func readText(strayAtStart: Bool) throws {
        let startLine = line
        if strayAtStart, scan.firstStrayOffset == nil { scan.firstStrayOffset = 0 }
        var offset = max(scan.offset, strayAtStart ? 1 : 0)
        var end = 0
        while true {
            let start = position + offset
            let found: Int? = buffer.withUnsafeBufferPointer { bytes in
                guard start < bytes.count, let base = bytes.baseAddress,
                      let match = memchr(base + start, Int32(XMLByte.lessThan), bytes.count - start) else { return nil }
                return base.distance(to: match.assumingMemoryBound(to: UInt8.self))
            }
            if let lessThan = found {
                if lessThan + 1 < buffer.count {
                    if Self.canStartMarkup(buffer[lessThan + 1]) {
                        end = lessThan
                        break
                    }
                    if scan.firstStrayOffset == nil { scan.firstStrayOffset = lessThan - position }
                    offset = lessThan + 1 - position
                    continue
                }
                if inputEnded {
                    end = lessThan
                    break
                }
                offset = lessThan - position
            } else {
                offset = buffer.count - position
                if inputEnded {
                    end = buffer.count
                    break
                }
            }
            if offset > maximumTokenBytes {
                return stop("a run of text longer than \(maximumTokenBytes) bytes starts at line \(line)")
            }
            scan.offset = offset
            try refill()
        }
        let strayOffset = scan.firstStrayOffset
        scan = Scan()
        let range = position..<end
        let decoded = buffer.withUnsafeBufferPointer { bytes in
            XMLTextDecoder.decode(UnsafeBufferPointer(rebasing: bytes[range]), firstLine: startLine, as: .characterData)
        }
        if let strayOffset, !openElements.isEmpty {
            let strayLine = startLine + buffer[position..<(position + strayOffset)].reduce(0) { $0 + ($1 == XMLByte.lineFeed ? 1 : 0) }
            queue.append(.problem(XMLSyntaxError(.malformedMarkup, line: strayLine, "unescaped \"<\" in text (write it as &lt;)")))
        }
        position = end
        line += decoded.newlines
        guard !openElements.isEmpty else { return }  // whitespace or junk outside the root element
        if let problem = decoded.problem { queue.append(.problem(problem)) }
        queue.append(.event(XMLEvent(.text(decoded.text), line: startLine, invalidUTF8Lines: decoded.invalidUTF8Lines)))
    }

    /// Whether `<` followed by `byte` begins markup rather than being a stray character.
    static func canStartMarkup(_ byte: UInt8) -> Bool {
        XMLByte.isNameStart(byte) || byte == XMLByte.slash || byte == XMLByte.exclamationMark
            || byte == XMLByte.questionMark
    }
}
