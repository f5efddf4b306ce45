import Foundation

/// Per-thread working memory of a graph search: the visited marks (an epoch per node, so
/// clearing them is one increment), both heaps and the buffers for one node's neighbours.
/// Reused across queries through `ScratchPool`, so a search allocates nothing.
final class HNSWScratch {
    private(set) var visited: UnsafeMutablePointer<UInt16>
    private(set) var visitedCapacity: Int
    private(set) var epoch: UInt16 = 0
    var frontier = ScoreHeap(capacity: 256)
    var best = ScoreHeap(capacity: 256)
    let neighbours: UnsafeMutablePointer<UInt32>
    let fresh: UnsafeMutablePointer<UInt32>
    let scores: UnsafeMutablePointer<Float>
    let query: QueryCodes

    init(dimension: Int, maxLinks: Int, nodes: Int) {
        visitedCapacity = max(nodes, 1024)
        visited = .allocate(capacity: visitedCapacity)
        visited.initialize(repeating: 0, count: visitedCapacity)
        neighbours = .allocate(capacity: maxLinks + 1)
        fresh = .allocate(capacity: maxLinks + 1)
        scores = .allocate(capacity: maxLinks + 1)
        query = QueryCodes(dimension: dimension)
    }

    deinit {
        visited.deallocate()
        neighbours.deallocate()
        fresh.deallocate()
        scores.deallocate()
        frontier.deallocate()
        best.deallocate()
    }

    /// Starts a new search over `nodes` nodes: bumps the epoch, wiping the marks only when
    /// it wraps (every 65,535 searches) or the graph outgrew them.
    func beginSearch(nodes: Int) {
        if nodes > visitedCapacity {
            visited.deallocate()
            visitedCapacity = max(nodes, visitedCapacity * 2)
            visited = .allocate(capacity: visitedCapacity)
            visited.initialize(repeating: 0, count: visitedCapacity)
            epoch = 0
        }
        if epoch == UInt16.max {
            visited.update(repeating: 0, count: visitedCapacity)
            epoch = 0
        }
        epoch += 1
        frontier.removeAll()
        best.removeAll()
    }

    /// Marks `node` visited; returns whether it was new in this search.
    @inline(__always)
    func visit(_ node: Int) -> Bool {
        if visited[node] == epoch { return false }
        visited[node] = epoch
        return true
    }
}

/// Scratch objects handed to concurrent searches; one per thread in practice.
final class ScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [HNSWScratch] = []

    func withScratch<T>(dimension: Int, maxLinks: Int, nodes: Int, _ body: (HNSWScratch) -> T) -> T {
        lock.lock()
        let scratch = idle.popLast() ?? HNSWScratch(dimension: dimension, maxLinks: maxLinks, nodes: nodes)
        lock.unlock()
        defer {
            lock.lock()
            idle.append(scratch)
            lock.unlock()
        }
        return body(scratch)
    }
}
