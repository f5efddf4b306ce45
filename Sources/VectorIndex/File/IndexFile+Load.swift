import Foundation

extension IndexFile {
    static func load(from path: String) throws -> Contents {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure("cannot open: \(errnoText())", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot stat: \(errnoText())", path) }
        let fileSize = UInt64(info.st_size)
        var reader = SectionReader(fd: fd, path: path, remaining: fileSize)
        var headerBytes = [UInt8](repeating: 0, count: IndexFileHeader.size)
        try headerBytes.withUnsafeMutableBytes { b throws in try reader.read(into: b) }
        let header: IndexFileHeader
        switch IndexFileHeader.decode(headerBytes) {
        case .success(let decoded): header = decoded
        case .failure(var error):
            error.path = path
            throw error
        }
        guard header.bodyLength == fileSize - UInt64(IndexFileHeader.size) else {
            throw failure("truncated or padded: header promises \(header.bodyLength) bytes of data, the file has "
                          + "\(fileSize - UInt64(IndexFileHeader.size))", path, .corruptFile)
        }
        let d = Int(header.dimension)
        guard d > 0, d <= 65_536, header.slotCount <= header.bodyLength / UInt64(d * 5 + 9),
              header.m >= 2, header.m <= 128 else {
            throw failure("header is inconsistent (dimension \(d), \(header.slotCount) slots)", path, .corruptFile)
        }
        let n = Int(header.slotCount)
        var checksum = SectionChecksum()
        var store = VectorStore(dimension: d, capacity: n)
        try reader.fill(store.floats, count: n * d, checksum: &checksum)
        try reader.fill(store.codes, count: n * d, checksum: &checksum)
        try reader.fill(store.scales, count: n, checksum: &checksum)
        try reader.fill(store.tombstones, count: n, checksum: &checksum)
        let lengths = GrowableBuffer<UInt32>(capacity: n)
        try reader.fill(lengths, count: n, checksum: &checksum)
        let keyByteCount = lengths.buffer.reduce(0) { $0 + Int($1) }
        let keyBytes = GrowableBuffer<UInt8>(capacity: keyByteCount)
        try reader.fill(keyBytes, count: keyByteCount, checksum: &checksum)
        var keys: [String] = []
        keys.reserveCapacity(n)
        var offset = 0
        for slot in 0..<n {
            let length = Int(lengths.base[slot])
            keys.append(String(decoding: UnsafeBufferPointer(start: keyBytes.base + offset, count: length), as: UTF8.self))
            offset += length
        }
        let parameters = HNSWParameters(m: Int(header.m), efConstruction: Int(header.efConstruction),
                                        efSearch: Int(header.efSearch))
        var graph: HNSWGraph?
        if header.hasGraph {
            graph = try loadGraph(header: header, parameters: parameters, reader: &reader, checksum: &checksum)
        }
        guard reader.remaining == 0 else { throw failure("has \(reader.remaining) unexpected trailing bytes", path, .corruptFile) }
        guard checksum.value == header.checksum else {
            throw failure("checksum mismatch: the file is damaged", path, .corruptFile)
        }
        store.restoreKeys(keys)
        if let graph { try validate(graph, slots: n, path: path) }
        return Contents(store: store, graph: graph, parameters: parameters)
    }

    private static func loadGraph(header: IndexFileHeader, parameters: HNSWParameters, reader: inout SectionReader,
                                  checksum: inout SectionChecksum) throws -> HNSWGraph {
        let n = Int(header.slotCount)
        var graph = HNSWGraph(m: parameters.m, seed: parameters.seed, capacity: n)
        try reader.fill(graph.levels, count: n, checksum: &checksum)
        try reader.fill(graph.level0, count: n * (graph.m0 + 1), checksum: &checksum)
        try reader.fill(graph.upperOffset, count: n, checksum: &checksum)
        let upperCount = GrowableBuffer<UInt64>(capacity: 1)
        try reader.fill(upperCount, count: 1, checksum: &checksum)
        guard upperCount.base[0] <= reader.remaining / 4 else {
            throw failure("upper-layer link count is larger than the file", reader.path, .corruptFile)
        }
        try reader.fill(graph.upper, count: Int(upperCount.base[0]), checksum: &checksum)
        let random = GrowableBuffer<UInt64>(capacity: 1)
        try reader.fill(random, count: 1, checksum: &checksum)
        graph.random = random.base[0]
        graph.entryPoint = header.entryPoint
        graph.maxLevel = Int(header.maxLevel)
        return graph
    }

    /// Bounds-checks every link so a file that passes the checksum but was written wrongly
    /// still cannot send a search outside the buffers.
    private static func validate(_ graph: HNSWGraph, slots n: Int, path: String) throws {
        let bad = { () -> VectorIndexError in failure("graph links point outside the index", path, .corruptFile) }
        guard graph.entryPoint < Int32(clamping: n), (n == 0) == (graph.entryPoint < 0) else { throw bad() }
        for node in 0..<n {
            let block = graph.level0.base + node * (graph.m0 + 1)
            guard Int(block[0]) <= graph.m0 else { throw bad() }
            for j in 0..<Int(block[0]) where Int(block[1 + j]) >= n { throw bad() }
            let level = Int(graph.levels.base[node])
            guard level <= graph.maxLevel else { throw bad() }
            guard level > 0 else { continue }
            let start = Int(graph.upperOffset.base[node])
            guard start >= 0, start + level * (graph.m + 1) <= graph.upper.count else { throw bad() }
            for l in 0..<level {
                let upperBlock = graph.upper.base + start + l * (graph.m + 1)
                guard Int(upperBlock[0]) <= graph.m else { throw bad() }
                for j in 0..<Int(upperBlock[0]) where Int(upperBlock[1 + j]) >= n { throw bad() }
            }
        }
    }
}

/// Reads a file's sections in order straight into index buffers, counting what is left.
struct SectionReader {
    let fd: Int32
    let path: String
    var remaining: UInt64

    mutating func read(into target: UnsafeMutableRawBufferPointer) throws {
        guard UInt64(target.count) <= remaining else {
            throw IndexFile.failure("truncated: a section runs past the end of the file", path, .corruptFile)
        }
        guard var p = target.baseAddress else { return }
        var left = target.count
        while left > 0 {
            let got = Foundation.read(fd, p, min(left, 1 << 30))
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw IndexFile.failure("read failed: \(IndexFile.errnoText())", path) }
            p += got
            left -= got
        }
        remaining -= UInt64(target.count)
    }

    mutating func fill<T>(_ buffer: GrowableBuffer<T>, count: Int, checksum: inout SectionChecksum) throws {
        buffer.reserve(extra: count - buffer.count)
        let bytes = UnsafeMutableRawBufferPointer(start: buffer.base, count: count * MemoryLayout<T>.stride)
        try read(into: bytes)
        buffer.count = count
        checksum.add(UnsafeRawBufferPointer(bytes))
    }
}
