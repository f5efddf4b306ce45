import Foundation

/// Approximate nearest-neighbour search over a `VectorStore` with an HNSW graph.
///
/// Searches walk the graph with int8 · int8 scores (a quarter of the memory traffic of
/// floats, which is what a graph walk waits on), then re-score the `efSearch` nodes they
/// end with on the float vectors and return the best k. The build links each node with the
/// more precise float · int8 score: measured at 100k, that graph reaches recall@10 0.952 at
/// ef 32 where an int8 · int8-built one needed ef 40, for 25% more build time; searching it
/// with float queries instead of int8 ones gains only 0.002 recall and costs 25% QPS.
///
/// Deleting marks the vector's slot: it stays in the graph as a waypoint (removing a node
/// would cut paths through it) but is never returned. `compacted()` rebuilds without them.
/// A value type: copies share buffers until one of them is written.
public struct HNSWIndex: Sendable {
    public internal(set) var store: VectorStore
    public let parameters: HNSWParameters
    var graph: HNSWGraph
    let scratchPool = ScratchPool()

    public init(dimension: Int, parameters: HNSWParameters = HNSWParameters()) {
        store = VectorStore(dimension: dimension)
        self.parameters = parameters
        graph = HNSWGraph(m: parameters.m, seed: parameters.seed)
    }

    /// Builds the graph over every slot of `store`, on `threads` threads (the insertion
    /// order, and so the graph, is reproducible only with one). `progress` hears about how
    /// many vectors are linked now and then (a 1M build takes minutes).
    public init(store: VectorStore, parameters: HNSWParameters = HNSWParameters(),
                threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                progress: (@Sendable (Int) -> Void)? = nil) {
        self.store = store
        self.parameters = parameters
        graph = HNSWGraph(m: parameters.m, seed: parameters.seed, capacity: store.slotCount)
        linkNewSlots(threads: threads, progress: progress)
    }

    init(store: VectorStore, parameters: HNSWParameters, graph: HNSWGraph) {
        self.store = store
        self.parameters = parameters
        self.graph = graph
    }

    public var count: Int { store.count }

    /// Bytes of vectors, codes, keys and links.
    public var byteCount: Int { store.byteCount + graph.byteCount }

    public mutating func add(key: String, vector: [Float]) throws(VectorIndexError) {
        try store.add(key: key, vector: vector)
        linkNewSlots(threads: 1)
    }

    /// Adds many vectors, linking them on `threads` threads.
    public mutating func add(_ batch: [(key: String, vector: [Float])],
                             threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(VectorIndexError) {
        for (key, vector) in batch { try store.add(key: key, vector: vector) }
        linkNewSlots(threads: threads)
    }

    @discardableResult
    public mutating func remove(key: String) -> Bool { store.remove(key: key) }

    /// Whether searches score the float query against int8 codes (see `GraphQuery`) rather
    /// than int8 against int8 (the default; see above for the measurement).
    public var floatQueries = false

    /// The `k` vectors most similar to `query`, best first; `ef` overrides `efSearch`.
    public func search(_ query: [Float], k: Int, ef: Int? = nil) -> [VectorHit] {
        guard query.count == store.dimension, k > 0, store.count > 0, graph.entryPoint >= 0 else { return [] }
        let ef = max(ef ?? parameters.efSearch, k)
        let view = graph.view(of: store, locks: nil)
        return scratchPool.withScratch(dimension: store.dimension, maxLinks: graph.m0, nodes: graph.nodeCount) { scratch in
            query.withUnsafeBufferPointer { if let q = $0.baseAddress { scratch.query.load(q) } }
            let q = GraphQuery(codes: scratch.query.codes, scale: scratch.query.scale,
                               floats: floatQueries ? UnsafePointer(scratch.query.floats) : nil)
            var current = Int(graph.entryPoint)
            var currentScore = q.score(view, node: current)
            var level = graph.maxLevel
            while level > 0 {
                (current, currentScore) = view.greedyClosest(query: q, start: current, startScore: currentScore,
                                                             level: level, scratch: scratch)
                level -= 1
            }
            view.searchLayer(query: q, entry: current, entryScore: currentScore, ef: ef,
                             level: 0, skipDeleted: store.deletedCount > 0, nodes: graph.nodeCount, scratch: scratch)
            let candidates = scratch.best.drainDescending().map(\.slot)
            return candidates.withUnsafeBufferPointer { store.rerank($0, query: scratch.query.floats, k: k) }
        }
    }

    /// An index over the live vectors only, its graph built anew.
    public func compacted(threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> HNSWIndex {
        HNSWIndex(store: store.compacted(), parameters: parameters, threads: threads)
    }

    static let progressInterval = 10_000

    /// Gives every slot the graph does not have yet a level and links it, telling `progress`
    /// how many are linked every `progressInterval` of them.
    mutating func linkNewSlots(threads: Int, progress: (@Sendable (Int) -> Void)? = nil) {
        let first = graph.nodeCount, last = store.slotCount
        guard last > first else { return }
        var newLevels: [Int] = []
        newLevels.reserveCapacity(last - first)
        for _ in first..<last { newLevels.append(graph.drawLevel()) }
        graph.appendNodes(levels: newLevels)
        let efConstruction = parameters.efConstruction
        let dimension = store.dimension, m0 = graph.m0
        let store = self.store
        withUnsafeMutablePointer(to: &graph) { graphPointer in
            // Link serially until the graph has some shape; racing threads on a graph of a
            // handful of nodes would mostly wait on each other's locks.
            let serialEnd = threads > 1 ? min(last, max(first, 1_000)) : last
            let serialView = graphPointer.pointee.view(of: store, locks: nil)
            let scratch = HNSWScratch(dimension: dimension, maxLinks: m0, nodes: last)
            for node in first..<serialEnd {
                serialView.insert(node, efConstruction: efConstruction, nodes: last, graph: graphPointer, scratch: scratch)
                if let progress, (node + 1) % Self.progressInterval == 0 { progress(node + 1) }
            }
            guard serialEnd < last else { return }
            let locks = StripedLocks()
            let shared = UncheckedSendable(value: (graphPointer.pointee.view(of: store, locks: locks), graphPointer))
            let workers = max(1, threads)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let (view, pointer) = shared.value
                let scratch = HNSWScratch(dimension: dimension, maxLinks: m0, nodes: last)
                var node = serialEnd + worker
                while node < last {
                    view.insert(node, efConstruction: efConstruction, nodes: last, graph: pointer, scratch: scratch)
                    // The first worker speaks for all: they advance in step.
                    if worker == 0, let progress, (node - serialEnd) % (Self.progressInterval * workers) == 0 {
                        progress(node)
                    }
                    node += workers
                }
            }
        }
    }
}
