import ArgumentParser
import Foundation
import VectorIndex
import VectorMath

/// `paperboy bench vectors`: builds our vector index over the first `n` rows of a float32
/// `.npy` file and times single-threaded queries at each `ef`, reporting recall@k against a
/// ground-truth `.npy` of row numbers. Driven by `bench/vector_benchmark.py`.
struct BenchVectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vectors", abstract: "Time vector search.")

    @Option(help: "float32 .npy of base vectors (rows × dimension).") var base: String
    @Option(help: "float32 .npy of query vectors.") var queries: String
    @Option(help: "int64 .npy of true neighbour rows per query.") var truth: String
    @Option var n: Int
    @Option(help: "hnsw or flat.") var mode = "hnsw"
    @Option var m = 16
    @Option var efConstruction = 200
    @Option(help: "Comma-separated efSearch values.") var ef = "10,20,40,80,120,160,240,320"
    @Option var k = 10
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option var `repeat` = 3
    @Option(help: "Also save to and load from this file, timing both.") var save: String?
    @Option(help: "Load this saved index instead of building (profiling).") var load: String?

    func run() async throws {
        let queryMatrix = try NumpyMatrix(path: queries)
        let truthRows = try NumpyMatrix(path: truth)
        let baseMatrix = try NumpyMatrix(path: base)
        let dimension = baseMatrix.columns
        if let load {
            let searcher = try VectorSearcher.load(from: load, graphThreshold: 0)
            try measure(searcher, queryMatrix: queryMatrix, truthRows: truthRows, dimension: dimension,
                        build: (0, 0, 0, 0, 0))
            return
        }
        let rssStart = BenchSearchCommand.residentBytes()
        var store = VectorStore(dimension: dimension, capacity: n)
        var row = [Float](repeating: 0, count: dimension)
        let started = ContinuousClock.now
        for i in 0..<n {
            try baseMatrix.readFloatRow(i, into: &row)
            try store.add(key: String(i), vector: row)
        }
        let loadSeconds = BenchSearchCommand.seconds(ContinuousClock.now - started)
        let buildStart = ContinuousClock.now
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction)
        var searcher = VectorSearcher(store: store, parameters: parameters,
                                      graphThreshold: mode == "flat" ? Int.max : 0, buildThreads: threads)
        store = VectorStore(dimension: 1)
        let buildSeconds = BenchSearchCommand.seconds(ContinuousClock.now - buildStart)
        let rssBuilt = BenchSearchCommand.residentBytes()
        var saveSeconds = 0.0, loadFileSeconds = 0.0
        if let save {
            let t0 = ContinuousClock.now
            try searcher.save(to: save)
            saveSeconds = BenchSearchCommand.seconds(ContinuousClock.now - t0)
            let t1 = ContinuousClock.now
            searcher = try VectorSearcher.load(from: save, graphThreshold: mode == "flat" ? Int.max : 0)
            loadFileSeconds = BenchSearchCommand.seconds(ContinuousClock.now - t1)
        }
        try measure(searcher, queryMatrix: queryMatrix, truthRows: truthRows, dimension: dimension,
                    build: (loadSeconds, buildSeconds, rssBuilt - rssStart, saveSeconds, loadFileSeconds))
    }

    private func measure(_ searcher: VectorSearcher, queryMatrix: NumpyMatrix, truthRows: NumpyMatrix, dimension: Int,
                         build: (Double, Double, Int, Double, Double)) throws {
        var row = [Float](repeating: 0, count: dimension)
        let (loadSeconds, buildSeconds, rssGrowth, saveSeconds, loadFileSeconds) = build
        var qs: [[Float]] = []
        for i in 0..<queryMatrix.rows {
            try queryMatrix.readFloatRow(i, into: &row)
            qs.append(row)
        }
        var truthSets: [Set<Int>] = []
        for i in 0..<queryMatrix.rows { truthSets.append(Set(try truthRows.readInt64Row(i).prefix(k).map { Int($0) })) }
        var points: [BenchVectorsPoint] = []
        let efValues = mode == "flat" ? [0] : ef.split(separator: ",").compactMap { Int($0) }
        for efValue in efValues {
            var hits = 0
            for (i, q) in qs.enumerated() {
                let found = searcher.search(q, k: k, ef: efValue)
                hits += found.reduce(0) { $0 + (truthSets[i].contains(Int($1.key) ?? -1) ? 1 : 0) }
            }
            var runs: [Double] = []
            for _ in 0..<max(1, self.repeat) {
                let t0 = ContinuousClock.now
                for q in qs { _ = searcher.search(q, k: k, ef: efValue) }
                runs.append(BenchSearchCommand.seconds(ContinuousClock.now - t0))
            }
            let median = runs.sorted()[runs.count / 2]
            points.append(BenchVectorsPoint(ef: efValue, recall: Double(hits) / Double(qs.count * k),
                                            qps: Double(qs.count) / median))
        }
        let report = BenchVectorsReport(
            system: mode == "flat" ? "paperboy-flat-int8" : "paperboy-hnsw", kernels: VectorMath.kernelName, n: n,
            load_seconds: loadSeconds, build_seconds: buildSeconds, rss_growth_bytes: rssGrowth,
            index_bytes: searcher.byteCount, uses_graph: searcher.usesGraph, save_seconds: saveSeconds,
            load_file_seconds: loadFileSeconds, points: points)
        print(JSONOutput.line(report))
    }
}

private struct BenchVectorsPoint: Encodable {
    var ef: Int
    var recall: Double
    var qps: Double
}

private struct BenchVectorsReport: Encodable {
    var system: String
    var kernels: String
    var n: Int
    var load_seconds: Double
    var build_seconds: Double
    var rss_growth_bytes: Int
    var index_bytes: Int
    var uses_graph: Bool
    var save_seconds: Double
    var load_file_seconds: Double
    var points: [BenchVectorsPoint]
}

/// A 2-D `.npy` array (float32 or int64, C order) read row by row with `pread`, so a 1.5 GB
/// file never sits in this process's memory next to the index being measured.
struct NumpyMatrix {
    let fd: Int32
    let rows: Int
    let columns: Int
    let elementSize: Int
    let dataOffset: Int

    init(path: String) throws {
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ValidationError("cannot open \(path)") }
        var prefix = [UInt8](repeating: 0, count: 10)
        _ = pread(fd, &prefix, 10, 0)
        guard prefix[0] == 0x93, prefix[1] == UInt8(ascii: "N") else { throw ValidationError("\(path) is not .npy") }
        let headerLength = Int(prefix[8]) | Int(prefix[9]) << 8
        var header = [UInt8](repeating: 0, count: headerLength)
        _ = pread(fd, &header, headerLength, 10)
        let text = String(decoding: header, as: UTF8.self)
        dataOffset = 10 + headerLength
        elementSize = text.contains("<f4") ? 4 : 8
        guard let open = text.firstIndex(of: "("), let close = text.firstIndex(of: ")") else {
            throw ValidationError("\(path): no shape")
        }
        let shape = text[text.index(after: open)..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard shape.count == 2 else { throw ValidationError("\(path): not 2-D") }
        rows = shape[0]
        columns = shape[1]
    }

    func readFloatRow(_ row: Int, into out: inout [Float]) throws {
        let bytes = columns * 4
        let got = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, bytes, off_t(dataOffset + row * bytes)) }
        guard got == bytes else { throw ValidationError("short read at row \(row)") }
    }

    func readInt64Row(_ row: Int) throws -> [Int64] {
        var out = [Int64](repeating: 0, count: columns)
        let bytes = columns * 8
        let got = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, bytes, off_t(dataOffset + row * bytes)) }
        guard got == bytes else { throw ValidationError("short read at row \(row)") }
        return out
    }
}
