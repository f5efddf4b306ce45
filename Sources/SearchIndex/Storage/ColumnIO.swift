import Foundation

/// Writes values and columns to a file through a buffer, checksumming every byte.
struct ColumnWriter {
    private let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var checksum = Checksum()
    private var failure: Int32 = 0

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw SearchIndexError(.io, path: path, "cannot create the index file: \(String(cString: strerror(errno)))")
        }
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write<T: BitwiseCopyable>(_ value: T) {
        withUnsafeBytes(of: value) { write(raw: $0) }
    }

    mutating func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { write(raw: $0) }
    }

    mutating func write<T>(_ column: Column<T>) {
        write(UInt64(column.count))
        write(raw: UnsafeRawBufferPointer(start: column.base, count: column.byteCount))
    }

    mutating func write(segment: Segment, deletions: DeletionSet) {
        write(segment.paperIDs.bytes)
        write(segment.paperIDs.offsets)
        write(segment.days)
        write(segment.documentsByID)
        write(Column(deletions.words))
        for field in segment.fields {
            write(UInt8(field.hasPositions ? 1 : 0))
            write(field.dictionary.terms.bytes)
            write(field.dictionary.terms.offsets)
            write(field.documentFrequency)
            write(field.firstBlock)
            write(field.blockLastDocument)
            write(field.blockOffset)
            write(field.blockPositionsOffset)
            write(field.blockMaxFrequency)
            write(field.blockMinLength)
            write(field.postings)
            write(field.positions)
            write(field.lengths)
        }
    }

    private mutating func write(raw bytes: UnsafeRawBufferPointer) {
        checksum.update(bytes)
        if buffer.count + bytes.count > buffer.capacity { flush() }
        if bytes.count >= buffer.capacity {
            emit(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    private mutating func flush() {
        buffer.withUnsafeBytes { emit($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func emit(_ bytes: UnsafeRawBufferPointer) {
        guard failure == 0, var next = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Foundation.write(descriptor, next, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            remaining -= written
            next += written
        }
    }

    /// Flushes everything to the disk; throws if any write failed (a full disk).
    mutating func finish() throws {
        flush()
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        guard failure == 0 else {
            throw SearchIndexError(.io, path: path, "cannot write the index file: \(String(cString: strerror(failure)))")
        }
    }

    func close() { _ = Foundation.close(descriptor) }
}

/// Reads what `ColumnWriter` wrote, bounds-checking every read, so a damaged file gives a
/// `SearchIndexError` and never a crash.
struct ColumnReader {
    private let bytes: UnsafeRawBufferPointer
    private let path: String
    var pathForMessages: String { path }
    private var offset = 0
    private var end: Int

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
        self.end = bytes.count
    }

    private func corrupt(_ message: String) -> SearchIndexError {
        SearchIndexError(.corrupt, path: path, message)
    }

    /// Checks the magic at both ends and the checksum, and limits reading to the body.
    mutating func verify(magic: [UInt8], endMagic: [UInt8]) throws {
        let trailer = 8 + endMagic.count
        guard bytes.count >= magic.count + trailer, bytes.prefix(magic.count).elementsEqual(magic) else {
            throw corrupt("not a Paperboy index file (bad header)")
        }
        guard bytes.suffix(endMagic.count).elementsEqual(endMagic) else {
            throw corrupt("the index file is truncated (no end marker)")
        }
        end = bytes.count - trailer
        var checksum = Checksum()
        checksum.update(UnsafeRawBufferPointer(rebasing: bytes[0..<end]))
        let stored = bytes.loadUnaligned(fromByteOffset: end, as: UInt64.self)
        guard checksum.value == stored else {
            throw corrupt("the index file's checksum does not match its contents")
        }
        offset = magic.count
    }

    mutating func read<T: BitwiseCopyable>() throws -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= end else { throw corrupt("the index file ends in the middle of a value at byte \(offset)") }
        defer { offset += size }
        return bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    mutating func readColumn<T: BitwiseCopyable>(padding: Int = 0) throws -> Column<T> {
        let count: UInt64 = try read()
        let stride = MemoryLayout<T>.stride
        guard count <= UInt64((end - offset) / max(1, stride)) else {
            throw corrupt("a column at byte \(offset) claims \(count) values, more than the file holds")
        }
        let byteCount = Int(count) * stride
        let start = offset
        offset += byteCount
        return Column(count: Int(count), padding: padding) { buffer in
            if byteCount > 0, let target = buffer.baseAddress, let source = bytes.baseAddress {
                memcpy(target, source + start, byteCount)
            }
        }
    }

    mutating func expectEnd() throws {
        guard offset == end else { throw corrupt("the index file has \(end - offset) unexpected bytes after its last segment") }
    }
}
