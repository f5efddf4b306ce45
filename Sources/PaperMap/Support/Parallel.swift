import Foundation

/// Runs `body(worker)` for `workers` workers at once. The map's heavy loops (covariance,
/// neighbour search, placement, quality) are independent per row, so two cores halve them;
/// each worker writes only its own rows, so results never depend on timing. Those rows are
/// reached through raw pointers, which is what the unchecked box below vouches for.
func parallelWorkers(_ workers: Int, _ body: (Int) -> Void) {
    guard workers > 1 else {
        if workers == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedBox(value: body)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in box.value(worker) }
    }
}

/// Splits `0..<count` into one contiguous range per core (fewer when a range would hold less
/// than `minimumPerWorker`) and runs `body` on each at once.
func parallelRanges(_ count: Int, minimumPerWorker: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let workers = max(1, min(cores, count / max(1, minimumPerWorker)))
    parallelWorkers(workers) { worker in
        let range = (count * worker / workers)..<(count * (worker + 1) / workers)
        if !range.isEmpty { body(range) }
    }
}

/// A closure or pointer handed to `concurrentPerform`'s workers.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
}

/// Lets a worker write its own disjoint rows of one shared buffer.
struct SharedBuffer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
