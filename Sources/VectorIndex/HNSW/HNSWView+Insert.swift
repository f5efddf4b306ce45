/// Linking a new node into the graph (Malkov & Yashunin, algorithms 1 and 4).
///
/// Parallel builds run this from two threads at once. The rules that make it safe: every
/// node's slot, level and upper-layer space exist before any thread starts (`appendNodes`);
/// a link block is read or written only under its node's stripe lock, and a thread holds
/// one stripe lock at a time; the entry point changes only under `locks.entry`. A reader
/// may see a neighbour list just before or after a concurrent update, never a torn one.
extension HNSWView {
    /// The entry point and top level, read consistently while other threads may raise them.
    func entry(in graph: UnsafeMutablePointer<HNSWGraph>) -> (node: Int, level: Int) {
        guard let locks else { return (Int(graph.pointee.entryPoint), graph.pointee.maxLevel) }
        locks.entry.lock()
        defer { locks.entry.unlock() }
        return (Int(graph.pointee.entryPoint), graph.pointee.maxLevel)
    }

    /// Links `node` (already appended with its level) into the graph.
    func insert(_ node: Int, efConstruction: Int, nodes: Int, graph: UnsafeMutablePointer<HNSWGraph>,
                scratch: HNSWScratch) {
        let level = Int(levels[node])
        let query = GraphQuery(codes: codes + node &* dimension, scale: scales[node], floats: floats + node &* dimension)
        var (current, top) = entry(in: graph)
        if current < 0 {
            setEntry(node, level: level, graph: graph, onlyIfEmpty: true)
            if entry(in: graph).node == node { return }
            (current, top) = entry(in: graph)
        }
        var currentScore = query.score(self, node: current)
        var l = top
        while l > level {
            (current, currentScore) = greedyClosest(query: query, start: current,
                                                    startScore: currentScore, level: l, scratch: scratch)
            l -= 1
        }
        for lc in stride(from: min(level, top), through: 0, by: -1) {
            searchLayer(query: query, entry: current, entryScore: currentScore,
                        ef: efConstruction, level: lc, skipDeleted: false, nodes: nodes, scratch: scratch)
            let found = scratch.best.drainDescending().filter { Int($0.slot) != node }
            guard let first = found.first else { continue }
            let chosen = selectNeighbours(found, limit: m)
            let block = links(node, lc)
            withNodeLock(node) {
                block[0] = UInt32(chosen.count)
                for (j, id) in chosen.enumerated() { block[1 + j] = id }
            }
            for neighbour in chosen { link(Int(neighbour), to: node, level: lc) }
            current = Int(first.slot)
            currentScore = first.score
        }
        if level > top { setEntry(node, level: level, graph: graph, onlyIfEmpty: false) }
    }

    /// The heuristic of algorithm 4: walk candidates best first and keep one only if it is
    /// closer to the base than to every neighbour kept so far, which spreads the links over
    /// directions instead of spending them all inside one cluster.
    func selectNeighbours(_ candidates: [(score: Float, slot: UInt32)], limit: Int) -> [UInt32] {
        if candidates.count <= limit { return candidates.map(\.slot) }
        var kept: [UInt32] = []
        kept.reserveCapacity(limit)
        for candidate in candidates {
            if kept.count >= limit { break }
            let c = Int(candidate.slot)
            var good = true
            for other in kept where similarity(c, Int(other)) > candidate.score {
                good = false
                break
            }
            if good { kept.append(candidate.slot) }
        }
        return kept
    }

    /// Adds `node` to `neighbour`'s list on `level`, re-selecting the list when it is full.
    func link(_ neighbour: Int, to node: Int, level: Int) {
        let block = links(neighbour, level)
        let limit = maxLinks(level)
        withNodeLock(neighbour) {
            let n = Int(block[0])
            for j in 0..<n where Int(block[1 + j]) == node { return }
            if n < limit {
                block[1 + n] = UInt32(node)
                block[0] = UInt32(n + 1)
                return
            }
            var candidates: [(score: Float, slot: UInt32)] = [(similarity(neighbour, node), UInt32(node))]
            for j in 0..<n { candidates.append((similarity(neighbour, Int(block[1 + j])), block[1 + j])) }
            candidates.sort { $0.score > $1.score }
            let kept = selectNeighbours(candidates, limit: limit)
            block[0] = UInt32(kept.count)
            for (j, id) in kept.enumerated() { block[1 + j] = id }
        }
    }

    private func setEntry(_ node: Int, level: Int, graph: UnsafeMutablePointer<HNSWGraph>, onlyIfEmpty: Bool) {
        locks?.entry.lock()
        defer { locks?.entry.unlock() }
        if onlyIfEmpty ? graph.pointee.entryPoint < 0 : level > graph.pointee.maxLevel {
            graph.pointee.entryPoint = Int32(node)
            graph.pointee.maxLevel = level
        }
    }

    @inline(__always)
    private func withNodeLock(_ node: Int, _ body: () -> Void) {
        if let locks { locks.withLock(node, body) } else { body() }
    }
}
