/// A growable block of plain values the index's hot loops address through a raw pointer
/// (Swift arrays would re-check uniqueness and bounds on every write in the build loop).
///
/// Owned by the value types `VectorStore` and `HNSWGraph`, which copy it before writing when
/// it is shared (copy on write), so a buffer reachable from two values is never written;
/// the parallel graph build writes one buffer from two threads under `StripedLocks`.
final class GrowableBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    /// Elements in use.
    var count: Int

    init(capacity: Int = 0, count: Int = 0, filling value: Element? = nil) {
        self.capacity = max(capacity, count, 16)
        base = LargeAllocation.allocate(Element.self, capacity: self.capacity)
        self.count = count
        if let value { base.initialize(repeating: value, count: self.capacity) }
    }

    deinit { LargeAllocation.deallocate(base) }

    func copy() -> GrowableBuffer<Element> {
        let other = GrowableBuffer(capacity: capacity, count: count)
        other.base.update(from: base, count: count)
        return other
    }

    /// Makes room for `extra` more elements, doubling so appends stay amortized O(1).
    func reserve(extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        var next = max(capacity * 2, 16)
        while next < needed { next *= 2 }
        let grown = LargeAllocation.allocate(Element.self, capacity: next)
        grown.update(from: base, count: count)
        LargeAllocation.deallocate(base)
        base = grown
        capacity = next
    }

    func append(_ value: Element) {
        reserve(extra: 1)
        base[count] = value
        count += 1
    }

    func append(contentsOf source: UnsafePointer<Element>, count n: Int) {
        reserve(extra: n)
        (base + count).update(from: source, count: n)
        count += n
    }

    func append(repeating value: Element, count n: Int) {
        reserve(extra: n)
        (base + count).update(repeating: value, count: n)
        count += n
    }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
    var byteCount: Int { capacity * MemoryLayout<Element>.stride }
}
