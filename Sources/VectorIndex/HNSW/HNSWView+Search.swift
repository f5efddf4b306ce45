import VectorMath

extension HNSWView {
    /// Greedy descent on one upper layer: moves to a better neighbour until none is better.
    func greedyClosest(query: GraphQuery, start: Int, startScore: Float,
                       level: Int, scratch: HNSWScratch) -> (node: Int, score: Float) {
        var current = start, currentScore = startScore
        var improved = true
        while improved {
            improved = false
            let n = copyLinks(current, level, into: scratch.fresh)
            if n == 0 { break }
            query.score(self, ids: scratch.fresh, count: n, into: scratch.scores)
            for j in 0..<n where scratch.scores[j] > currentScore {
                currentScore = scratch.scores[j]
                current = Int(scratch.fresh[j])
                improved = true
            }
        }
        return (current, currentScore)
    }

    /// Best-first search of one layer from `entry`, keeping the `ef` best nodes in
    /// `scratch.best`. With `skipDeleted`, tombstoned nodes are walked through but not kept.
    /// The heaps and marks are moved into locals for the loop: every access to a class's
    /// stored property is checked for exclusivity at run time, locals are not.
    func searchLayer(query: GraphQuery, entry: Int, entryScore: Float,
                     ef: Int, level: Int, skipDeleted: Bool, nodes: Int, scratch: HNSWScratch) {
        scratch.beginSearch(nodes: nodes)
        let visited = scratch.visited, epoch = scratch.epoch
        let neighbours = scratch.neighbours, fresh = scratch.fresh, scores = scratch.scores
        var frontier = scratch.frontier, best = scratch.best
        defer {
            scratch.frontier = frontier
            scratch.best = best
        }
        visited[entry] = epoch
        frontier.push(-entryScore, UInt32(entry))
        if !skipDeleted || tombstones[entry] == 0 { best.offer(entryScore, UInt32(entry), limit: ef) }
        while !frontier.isEmpty {
            let (negated, node) = frontier.popMin()
            if best.isFull(limit: ef) && -negated < best.minScore { break }
            let n = copyLinks(Int(node), level, into: neighbours)
            for j in 0..<n { VectorMath.prefetch(visited + Int(neighbours[j])) }
            var u = 0
            for j in 0..<n {
                let id = neighbours[j]
                if visited[Int(id)] != epoch {
                    visited[Int(id)] = epoch
                    fresh[u] = id
                    u &+= 1
                }
            }
            if u == 0 { continue }
            query.score(self, ids: fresh, count: u, into: scores)
            for j in 0..<u {
                let score = scores[j]
                if !best.isFull(limit: ef) || score > best.minScore {
                    let id = fresh[j]
                    frontier.push(-score, id)
                    if !skipDeleted || tombstones[Int(id)] == 0 { best.offer(score, id, limit: ef) }
                }
            }
            // The next node to expand is known now: request its neighbour list.
            if !frontier.isEmpty { VectorMath.prefetch(links(Int(frontier.minSlot), level), bytes: (maxLinks(level) + 1) * 4) }
        }
    }
}
