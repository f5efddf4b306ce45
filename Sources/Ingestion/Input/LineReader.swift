#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a `ByteSource` into lines, reading it in chunks so memory stays flat whatever the
/// input's size. Lines end at LF; a CR before the LF is dropped, and so is a UTF-8 byte-order
/// mark at the start of the input.
///
/// A line longer than `maxLineBytes` is never held in memory: it is skipped to its end and
/// returned with `isTooLong` set, so the caller can reject it by its line number and go on.
public struct LineReader {
    /// Bytes asked of the source per read.
    public static let defaultChunkSize = 1 << 20
    /// The longest line kept in memory; longer ones are skipped and reported.
    public static let defaultMaxLineBytes = 64 << 20

    /// One line of the input.
    public struct Line: Sendable, Hashable {
        /// The line's bytes without its terminator; empty when `isTooLong`.
        public var bytes: ArraySlice<UInt8>
        /// 1-based.
        public var number: Int
        /// Where the line starts, counted from the start of the input.
        public var byteOffset: Int64
        /// The line's length in bytes without its terminator, also when it was too long to keep.
        public var length: Int
        /// The line was longer than `maxLineBytes` and was skipped.
        public var isTooLong: Bool

        /// Whether the line holds nothing but spaces and tabs (a CR-only line included).
        public var isBlank: Bool {
            !isTooLong && bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        }
    }

    private var source: any ByteSource
    private let chunkSize: Int
    /// Lines longer than this are skipped and come back with `isTooLong` set.
    public let maxLineBytes: Int
    /// Unconsumed input starts at `start`; bytes before it belong to lines already returned.
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where to resume looking for LF, so a partial line is never scanned twice.
    private var searchFrom = 0
    /// The input offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    private var lineNumber = 1
    private var atEnd = false

    public init(source: any ByteSource, chunkSize: Int = defaultChunkSize, maxLineBytes: Int = defaultMaxLineBytes) {
        precondition(chunkSize > 0 && maxLineBytes > 0, "chunkSize and maxLineBytes must be positive")
        self.source = source
        self.chunkSize = chunkSize
        self.maxLineBytes = maxLineBytes
    }

    /// The next line, or nil at the end of the input. Throws only when the source cannot be read.
    public mutating func next() throws -> Line? {
        while true {
            if let lf = Self.firstLF(in: buffer, from: searchFrom) {
                let lineStart = start
                start = lf + 1
                searchFrom = start
                return line(from: lineStart, to: lf)
            }
            searchFrom = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                let lineStart = start
                start = buffer.count
                return line(from: lineStart, to: buffer.count)
            }
            if buffer.count - start > maxLineBytes { return try skipLongLine() }
            try refill()
        }
    }

    /// The line held in `buffer[from..<to]` (`to` is its LF or the end of input).
    private mutating func line(from lineStart: Int, to end: Int) -> Line {
        defer { lineNumber += 1 }
        let offset = bufferOffset + Int64(lineStart)
        let length = end - lineStart
        if length > maxLineBytes {
            return Line(bytes: [], number: lineNumber, byteOffset: offset, length: length, isTooLong: true)
        }
        var contentStart = lineStart, contentEnd = end
        if contentEnd > contentStart, buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        if offset == 0, contentEnd - contentStart >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            contentStart += 3
        }
        return Line(
            bytes: buffer[contentStart..<contentEnd], number: lineNumber, byteOffset: offset,
            length: contentEnd - contentStart, isTooLong: false)
    }

    /// Drops consumed bytes and appends the next chunk; sets `atEnd` when the source is dry.
    private mutating func refill() throws {
        if start > 0 {
            if start == buffer.count, buffer.capacity <= 4 * chunkSize {
                buffer.removeAll(keepingCapacity: true)
            } else if buffer.capacity > 4 * chunkSize {
                buffer = Array(buffer[start...])  // give back the memory a long line needed
            } else {
                buffer.removeSubrange(0..<start)
            }
            bufferOffset += Int64(start)
            searchFrom -= start
            start = 0
        }
        let chunk = try source.read(maxLength: chunkSize)
        if chunk.isEmpty {
            atEnd = true
        } else if buffer.isEmpty {
            buffer = chunk
        } else {
            buffer.append(contentsOf: chunk)
        }
    }

    /// Reads past the rest of a line that outgrew `maxLineBytes` without keeping it.
    private mutating func skipLongLine() throws -> Line {
        let offset = bufferOffset + Int64(start)
        var length = buffer.count - start
        bufferOffset += Int64(buffer.count)
        buffer = []
        start = 0
        searchFrom = 0
        while true {
            let chunk = try source.read(maxLength: chunkSize)
            if chunk.isEmpty {
                atEnd = true
                break
            }
            if let lf = Self.firstLF(in: chunk, from: 0) {
                length += lf
                buffer = chunk
                start = lf + 1
                searchFrom = start
                break
            }
            length += chunk.count
            bufferOffset += Int64(chunk.count)
        }
        defer { lineNumber += 1 }
        return Line(bytes: [], number: lineNumber, byteOffset: offset, length: length, isTooLong: true)
    }

    /// The index of the first LF at or after `from`, found with `memchr`.
    private static func firstLF(in bytes: [UInt8], from: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard from < buffer.count, let base = buffer.baseAddress else { return nil }
            guard let hit = memchr(base + from, 0x0A, buffer.count - from) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
        }
    }
}
