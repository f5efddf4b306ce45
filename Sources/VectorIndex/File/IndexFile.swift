import Foundation
import PaperboyCore

/// Saves and loads a `VectorStore` with its optional HNSW graph as one file (layout in
/// `IndexFileHeader`). Saving writes a temporary file beside the target, fsyncs it, renames
/// it over the target and fsyncs the directory, so a crash leaves the old file or the new
/// one, never a mix. Loading checks the size, every section's length and the checksum
/// before trusting anything, and throws a `VectorIndexError` naming the file.
enum IndexFile {
    struct Contents {
        var store: VectorStore
        var graph: HNSWGraph?
        var parameters: HNSWParameters
    }

    static func save(_ contents: Contents, to path: String) throws {
        let store = contents.store
        let n = store.slotCount, d = store.dimension
        var keyLengths = [UInt32]()
        var keyBytes = [UInt8]()
        keyLengths.reserveCapacity(n)
        for slot in 0..<n {
            let utf8 = Array(store.key(at: slot).utf8)
            keyLengths.append(UInt32(utf8.count))
            keyBytes.append(contentsOf: utf8)
        }
        var sections: [UnsafeRawBufferPointer] = [
            UnsafeRawBufferPointer(start: store.floats.base, count: n * d * 4),
            UnsafeRawBufferPointer(start: store.codes.base, count: n * d),
            UnsafeRawBufferPointer(start: store.scales.base, count: n * 4),
            UnsafeRawBufferPointer(start: store.tombstones.base, count: n),
        ]
        var upperCount = UInt64(contents.graph?.upper.count ?? 0)
        var random = contents.graph?.random ?? 0
        return try keyLengths.withUnsafeBytes { lengths throws in
            try keyBytes.withUnsafeBytes { bytes throws in
                try withUnsafeBytes(of: &upperCount) { upperCountBytes throws in
                    try withUnsafeBytes(of: &random) { randomBytes throws in
                        sections += [lengths, bytes]
                        if let graph = contents.graph {
                            precondition(graph.nodeCount == n, "graph and store out of step")
                            sections += [
                                UnsafeRawBufferPointer(start: graph.levels.base, count: n),
                                UnsafeRawBufferPointer(start: graph.level0.base, count: n * (graph.m0 + 1) * 4),
                                UnsafeRawBufferPointer(start: graph.upperOffset.base, count: n * 4),
                                upperCountBytes,
                                UnsafeRawBufferPointer(start: graph.upper.base, count: graph.upper.count * 4),
                                randomBytes,
                            ]
                        }
                        var checksum = SectionChecksum()
                        for section in sections { checksum.add(section) }
                        let header = IndexFileHeader(
                            dimension: UInt32(d), slotCount: UInt64(n), hasGraph: contents.graph != nil,
                            m: UInt32(contents.parameters.m), efConstruction: UInt32(contents.parameters.efConstruction),
                            efSearch: UInt32(contents.parameters.efSearch),
                            entryPoint: contents.graph?.entryPoint ?? -1, maxLevel: UInt32(contents.graph?.maxLevel ?? 0),
                            bodyLength: UInt64(sections.reduce(0) { $0 + $1.count }), checksum: checksum.value)
                        try writeAtomically(header: header.encoded(), sections: sections, to: path)
                    }
                }
            }
        }
    }

    private static func writeAtomically(header: [UInt8], sections: [UnsafeRawBufferPointer],
                                        to path: String) throws {
        do {
            try header.withUnsafeBytes { header in try AtomicFile.write([header] + sections, to: path) }
        } catch let failure as AtomicFile.Failure {
            throw Self.failure(failure.description, path)
        }
    }

    static func failure(_ message: String, _ path: String, _ code: VectorIndexError.Code = .unreadableFile) -> VectorIndexError {
        VectorIndexError(code, message, path: path)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
