import Foundation
import PaperboyCore

/// The keyword index on disk: one file, written whole to a temporary name, flushed, then
/// renamed over the old one, so a crash leaves either the old file or the new one, never a
/// mix. A checksum over every byte and the store generation in the header let start-up tell
/// a good file from a torn, corrupt or stale one.
///
/// Layout: magic, format version, generation, store identity, BM25 parameters, segment count; each segment's
/// columns (count, then raw little-endian bytes); the checksum of all of it; an end magic.
public enum IndexFile {
    static let magic = Array("PBKWIDX1".utf8)
    static let endMagic = Array("PBKWEND1".utf8)
    static let version: UInt32 = 2

    /// Writes `index` to `url` atomically.
    public static func save(_ index: KeywordIndex, to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        LeftoverTemporaries.remove(in: url.deletingLastPathComponent().path, prefix: ".\(url.lastPathComponent).", suffix: ".tmp")
        do {
            var writer = try ColumnWriter(path: temporary.path)
            defer { writer.close() }
            writer.write(bytes: magic)
            writer.write(version)
            writer.write(index.generation)
            writer.write(StringColumn([index.storeIdentity]).bytes)
            writer.write(index.parameters.k1)
            writer.write(index.parameters.b)
            writer.write(UInt32(index.segments.count))
            for (segment, deletions) in zip(index.segments, index.deletions) {
                writer.write(segment: segment, deletions: deletions)
            }
            let checksum = writer.checksum.value
            writer.write(checksum)
            writer.write(bytes: endMagic)
            try writer.finish()
            try replace(url, with: temporary)
        } catch let error as SearchIndexError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Reads the index at `url`, checking every byte against the checksum first.
    public static func load(from url: URL) throws -> KeywordIndex {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw SearchIndexError(.missing, path: path, "there is no index file yet")
        }
        let data: Data
        do {
            data = try Data(readingFile: url, options: .alwaysMapped)
        } catch {
            throw SearchIndexError(.io, path: path, "cannot read the index file: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { bytes in
            var reader = ColumnReader(bytes: bytes, path: path)
            try reader.verify(magic: magic, endMagic: endMagic)
            let version: UInt32 = try reader.read()
            guard version == Self.version else {
                throw SearchIndexError(.incompatible, path: path, "index format \(version) is not the supported format \(Self.version)")
            }
            let generation: Int64 = try reader.read()
            let identity: Column<UInt8> = try reader.readColumn()
            let parameters = BM25Parameters(k1: try reader.read(), b: try reader.read())
            let segmentCount: UInt32 = try reader.read()
            var segments: [Segment] = []
            var deletions: [DeletionSet] = []
            for _ in 0..<segmentCount {
                let (segment, deleted) = try reader.readSegment()
                segments.append(segment)
                deletions.append(deleted)
            }
            try reader.expectEnd()
            var index = KeywordIndex(parameters: parameters, generation: generation, segments: segments, deletions: deletions)
            index.storeIdentity = String(decoding: identity.buffer, as: UTF8.self)
            return index
        }
    }

    /// Renames `temporary` over `url` and flushes the directory, so the rename itself survives a crash.
    private static func replace(_ url: URL, with temporary: URL) throws {
        guard rename(temporary.path, url.path) == 0 else {
            throw SearchIndexError(.io, path: url.path, "cannot move the new index file into place: \(String(cString: strerror(errno)))")
        }
        let directory = open(url.deletingLastPathComponent().path, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
