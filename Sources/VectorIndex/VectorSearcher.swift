import Foundation
import VectorMath

/// The vector index the rest of Paperboy uses: exact int8 search (`FlatInt8Index`) while the
/// collection is small, an HNSW graph (`HNSWIndex`) once it holds `graphThreshold` vectors.
///
/// The threshold is where the exact scan stops being cheap. Measured on the 2-core AVX2
/// machine (`bench/results/vector-search.md`): the int8 scan is memory-bound at ~5.3 ms per
/// query over 100k 384-dim vectors (~53 ns a vector), so ~2.7 ms at 50k, while the graph
/// answers 100k in ~0.3 ms at recall@10 ≥ 0.95. Below 50k the scan stays under ~3 ms, is
/// exact and needs no build (the graph costs ~0.45 ms a vector to build on 2 cores, ~20 s
/// at 50k); above it the scan grows linearly (≈ 53 ms at 1M) and the graph wins.
public struct VectorSearcher: Sendable {
    /// Collections at least this large get a graph (measured crossover, see above).
    public static let defaultGraphThreshold = 50_000

    enum Backend: Sendable {
        case flat(FlatInt8Index)
        case graph(HNSWIndex)
    }

    var backend: Backend
    public let graphThreshold: Int
    public let parameters: HNSWParameters
    /// Threads used when a graph is built or extended in bulk.
    public var buildThreads: Int

    public init(dimension: Int, parameters: HNSWParameters = HNSWParameters(),
                graphThreshold: Int = VectorSearcher.defaultGraphThreshold,
                buildThreads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.init(store: VectorStore(dimension: dimension), parameters: parameters,
                  graphThreshold: graphThreshold, buildThreads: buildThreads)
    }

    /// Indexes an already filled store, building a graph if it is large enough (telling
    /// `progress` how many vectors are linked now and then).
    public init(store: VectorStore, parameters: HNSWParameters = HNSWParameters(),
                graphThreshold: Int = VectorSearcher.defaultGraphThreshold,
                buildThreads: Int = ProcessInfo.processInfo.activeProcessorCount,
                progress: (@Sendable (Int) -> Void)? = nil) {
        self.parameters = parameters
        self.graphThreshold = graphThreshold
        self.buildThreads = buildThreads
        if store.count >= graphThreshold {
            backend = .graph(HNSWIndex(store: store.compacted(), parameters: parameters, threads: buildThreads,
                                       progress: progress))
        } else {
            backend = .flat(FlatInt8Index(store: store))
        }
    }

    public var usesGraph: Bool {
        if case .graph = backend { return true }
        return false
    }

    public var store: VectorStore {
        switch backend {
        case .flat(let index): index.store
        case .graph(let index): index.store
        }
    }

    public var count: Int { store.count }
    public var dimension: Int { store.dimension }

    /// Bytes the index holds (vectors, codes, keys, links).
    public var byteCount: Int {
        switch backend {
        case .flat(let index): index.store.byteCount
        case .graph(let index): index.byteCount
        }
    }

    /// Adds or replaces one vector; crossing the threshold builds the graph.
    public mutating func add(key: String, vector: [Float]) throws(VectorIndexError) {
        switch backend {
        case .flat(var index):
            backend = .flat(FlatInt8Index(dimension: 1))   // drop the second reference before writing
            defer {
                backend = .flat(index)
                promoteIfLarge()
            }
            try index.add(key: key, vector: vector)
        case .graph(var index):
            backend = .flat(FlatInt8Index(dimension: 1))
            defer { backend = .graph(index) }
            try index.add(key: key, vector: vector)
        }
    }

    @discardableResult
    public mutating func remove(key: String) -> Bool {
        switch backend {
        case .flat(var index):
            backend = .flat(FlatInt8Index(dimension: 1))
            defer { backend = .flat(index) }
            return index.remove(key: key)
        case .graph(var index):
            backend = .flat(FlatInt8Index(dimension: 1))
            defer { backend = .graph(index) }
            return index.remove(key: key)
        }
    }

    /// The `k` most similar vectors, best first. `ef` tunes the graph search only.
    public func search(_ query: [Float], k: Int, ef: Int? = nil) -> [VectorHit] {
        switch backend {
        case .flat(let index): index.search(query, k: k)
        case .graph(let index): index.search(query, k: k, ef: ef)
        }
    }

    /// Writes the index to `path` atomically; tombstones are dropped first when they are more
    /// than a tenth of the slots (a flat index always drops them: it has nothing to rebuild).
    public mutating func save(to path: String) throws {
        switch backend {
        case .flat(let index):
            let store = index.store.deletedCount > 0 ? index.store.compacted() : index.store
            backend = .flat(FlatInt8Index(store: store))
            try IndexFile.save(IndexFile.Contents(store: store, graph: nil, parameters: parameters), to: path)
        case .graph(var index):
            if index.store.deletedCount * 10 > index.store.slotCount {
                index = index.compacted(threads: buildThreads)
                backend = .graph(index)
            }
            try IndexFile.save(IndexFile.Contents(store: index.store, graph: index.graph, parameters: index.parameters),
                               to: path)
        }
    }

    /// Reads an index saved by `save(to:)`; throws `VectorIndexError` for a missing, damaged,
    /// truncated or foreign file (the caller then rebuilds from the store).
    public static func load(from path: String, graphThreshold: Int = VectorSearcher.defaultGraphThreshold,
                            buildThreads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> VectorSearcher {
        let contents = try IndexFile.load(from: path)
        var searcher = VectorSearcher(store: VectorStore(dimension: contents.store.dimension),
                                      parameters: contents.parameters, graphThreshold: graphThreshold,
                                      buildThreads: buildThreads)
        if let graph = contents.graph {
            searcher.backend = .graph(HNSWIndex(store: contents.store, parameters: contents.parameters, graph: graph))
        } else {
            searcher.backend = .flat(FlatInt8Index(store: contents.store))
            searcher.promoteIfLarge()
        }
        return searcher
    }

    private mutating func promoteIfLarge() {
        guard case .flat(let index) = backend, index.store.count >= graphThreshold else { return }
        backend = .graph(HNSWIndex(store: index.store.compacted(), parameters: parameters, threads: buildThreads))
    }
}

extension VectorSearcher {
    /// The `k` vectors among `keys` most similar to `query`, best first, scored exactly in
    /// float. For searches narrowed by filters: a graph cannot be walked inside an arbitrary
    /// subset, but a subset small enough to name can be scanned (about 0.1 µs a key).
    /// Keys without a vector are skipped.
    public func search<Keys: Sequence<String>>(_ query: [Float], k: Int, among keys: Keys) -> [VectorHit] {
        guard k > 0, query.count == dimension else { return [] }
        let store = store
        var scored: [VectorHit] = []
        query.withUnsafeBufferPointer { q in
            guard let q = q.baseAddress else { return }
            for key in keys {
                guard let slot = store.slot(of: key) else { continue }
                scored.append(VectorHit(key: key, score: VectorMath.dot(q, store.floats.base + slot * dimension, count: dimension)))
            }
        }
        return Array(scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.key < $1.key }.prefix(k))
    }
}
