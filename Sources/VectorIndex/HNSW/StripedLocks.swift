import Foundation

/// Locks for the parallel graph build, one per stripe of nodes (node id modulo the stripe
/// count), as hnswlib locks per node: a thread holds at most one at a time (to read or
/// rewrite one node's links), so there is no lock order to get wrong. 4,096 stripes make
/// two threads collide on a stripe rarely without a lock object per node.
final class StripedLocks: Sendable {
    private let locks: [NSLock]
    private let mask: Int
    /// Guards the entry point and top level.
    let entry = NSLock()

    init(stripes: Int = 4096) {
        var count = 1
        while count < stripes { count <<= 1 }
        locks = (0..<count).map { _ in NSLock() }
        mask = count - 1
    }

    @inline(__always)
    func withLock<T>(_ node: Int, _ body: () -> T) -> T {
        let lock = locks[node & mask]
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// Carries raw pointers into `concurrentPerform`: the build's locking discipline, not the
/// type system, keeps the threads from racing (see `HNSWGraph+Insert`).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
