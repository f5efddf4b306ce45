/// A binary min-heap of `(score, slot)` pairs on reused memory: the searches keep their best
/// `limit` candidates in one (the worst of them on top, to be replaced) and, with negated
/// scores, their frontier of nodes to expand in another. Storage grows by doubling and is
/// kept, so after the first few queries a search allocates nothing.
struct ScoreHeap {
    private(set) var scores: UnsafeMutablePointer<Float>
    private(set) var slots: UnsafeMutablePointer<UInt32>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        scores = .allocate(capacity: self.capacity)
        slots = .allocate(capacity: self.capacity)
    }

    /// Frees the memory; the owner calls it once (heaps live inside scratch objects).
    func deallocate() {
        scores.deallocate()
        slots.deallocate()
    }

    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count == capacity }
    func isFull(limit: Int) -> Bool { count >= limit }
    var minScore: Float { scores[0] }
    var minSlot: UInt32 { slots[0] }

    mutating func removeAll() { count = 0 }

    /// Adds a pair when there is room, or replaces the minimum when `score` beats it.
    @inline(__always)
    mutating func offer(_ score: Float, _ slot: UInt32) {
        offer(score, slot, limit: capacity)
    }

    /// Keeps the best `limit` pairs.
    @inline(__always)
    mutating func offer(_ score: Float, _ slot: UInt32, limit: Int) {
        if count < limit {
            push(score, slot)
        } else if score > scores[0] {
            scores[0] = score
            slots[0] = slot
            siftDown(0)
        }
    }

    @inline(__always)
    mutating func push(_ score: Float, _ slot: UInt32) {
        if count == capacity { grow() }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if scores[parent] <= score { break }
            scores[i] = scores[parent]
            slots[i] = slots[parent]
            i = parent
        }
        scores[i] = score
        slots[i] = slot
    }

    private mutating func grow() {
        let next = capacity * 2
        let newScores = UnsafeMutablePointer<Float>.allocate(capacity: next)
        let newSlots = UnsafeMutablePointer<UInt32>.allocate(capacity: next)
        newScores.update(from: scores, count: count)
        newSlots.update(from: slots, count: count)
        scores.deallocate()
        slots.deallocate()
        scores = newScores
        slots = newSlots
        capacity = next
    }

    @discardableResult
    mutating func popMin() -> (score: Float, slot: UInt32) {
        let top = (scores[0], slots[0])
        count -= 1
        if count > 0 {
            scores[0] = scores[count]
            slots[0] = slots[count]
            siftDown(0)
        }
        return top
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        let score = scores[i], slot = slots[i]
        while true {
            var child = 2 * i + 1
            if child >= count { break }
            if child + 1 < count && scores[child + 1] < scores[child] { child += 1 }
            if scores[child] >= score { break }
            scores[i] = scores[child]
            slots[i] = slots[child]
            i = child
        }
        scores[i] = score
        slots[i] = slot
    }

    /// The pairs, best first (empties the heap).
    mutating func drainDescending() -> [(score: Float, slot: UInt32)] {
        var out = [(score: Float, slot: UInt32)](repeating: (0, 0), count: count)
        var i = count - 1
        while count > 0 {
            out[i] = popMin()
            i -= 1
        }
        return out
    }
}
