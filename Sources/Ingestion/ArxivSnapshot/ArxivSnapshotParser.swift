import Foundation
import PaperboyCore

/// Reads the arXiv metadata snapshot (Kaggle's `arxiv-metadata-oai-snapshot.json`): one JSON
/// object per line, 2.7 million lines for the whole archive, so it is read line by line in flat
/// memory and decoded by a purpose-built scanner fast enough for a full import.
///
/// Per line: `id` and `title` are required; `authors_parsed` (`[last, first, suffix]`) gives
/// the authors, or the one-line `authors` when it is missing; `categories` is space separated,
/// primary first; `versions` gives the latest version, the first version's date (published)
/// and the latest date (updated). Blank lines are skipped. A line that is not valid UTF-8, not
/// an object, lacks a required field, has a field of the wrong type or breaks a limit of
/// `Paper.validationProblem` comes back as a rejection naming the field; reading goes on.
public struct ArxivSnapshotParser: RecordParser {
    /// The name rejections carry (a path or URL).
    public let file: String
    private var lines: LineReader
    /// Decoding room reused from line to line (see `JSONScanner.scratch`).
    private var scratch: [UInt8] = []

    public init(
        source: any ByteSource, file: String, chunkSize: Int = LineReader.defaultChunkSize,
        maxLineBytes: Int = LineReader.defaultMaxLineBytes
    ) {
        self.file = file
        lines = LineReader(source: source, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    }

    /// Reads the file at `url`; rejections name it by its path.
    public init(url: URL, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws {
        self.init(source: try FileByteSource(url: url), file: url.path, maxLineBytes: maxLineBytes)
    }

    public mutating func next() throws -> ParsedRecord? {
        while let line = try lines.next() {
            if line.isTooLong {
                return rejection(line, "line is \(line.length) bytes, more than the limit of \(lines.maxLineBytes)")
            }
            if line.isBlank { continue }
            return record(from: line)
        }
        return nil
    }

    private mutating func record(from line: LineReader.Line) -> ParsedRecord {
        defer { if scratch.count > 1 << 20 { scratch = [] } }  // a huge line's room is not kept
        do {
            return .paper(try line.bytes.withUnsafeBufferPointer { bytes throws(SnapshotLineProblem) in
                guard Self.isValidUTF8(bytes) else { throw SnapshotLineProblem(reason: "line is not valid UTF-8") }
                return try SnapshotRecord.decode(bytes, scratch: &scratch).paper()
            })
        } catch {
            return rejection(line, error.reason)
        }
    }

    private func rejection(_ line: LineReader.Line, _ reason: String) -> ParsedRecord {
        .rejected(Rejection(file: file, line: line.number, byteOffset: line.byteOffset, reason: reason))
    }

    /// Whether `bytes` are UTF-8: an ASCII scan 32 bytes at a time decides almost every line;
    /// the standard library's validator checks the rest.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 32 <= bytes.count {
            let any = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            if any & 0x8080_8080_8080_8080 != 0 { return String(validating: bytes, as: UTF8.self) != nil }
            index += 32
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return String(validating: bytes, as: UTF8.self) != nil }
            index += 1
        }
        return true
    }
}
