import Foundation
import PaperboyCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `PaperStore.lock(_:)` on SQLite: an exclusive `flock` on a file beside the database
/// (`paperboy.sqlite-harvest.lock`). The kernel drops it when its process ends, however it
/// ends, so a harvest killed with SIGKILL never blocks the next one; and every call opens
/// the file anew, so two holders in one process exclude each other too.
extension PaperDatabase {
    public func lock(_ name: String) async throws -> (any StoreLock)? {
        guard isFile else { return memoryLocks.take(name) }
        let path = "\(location)-\(name).lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PaperboyError(.storage, "\(path): cannot open the \(name) lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            throw PaperboyError(.storage, "\(path): cannot take the \(name) lock: \(String(cString: strerror(code)))")
        }
        return FileLock(descriptor: descriptor)
    }
}

/// A held `flock`; closing the file releases it.
final class FileLock: StoreLock {
    private let descriptor: Mutex<Int32?>

    init(descriptor: Int32) { self.descriptor = Mutex(descriptor) }

    func release() async { releaseNow() }

    private func releaseNow() {
        descriptor.withLock { held in
            if let descriptor = held { close(descriptor) }
            held = nil
        }
    }

    deinit { releaseNow() }
}

/// Names locked on an in-memory store, which only this process can reach.
final class MemoryLocks: Sendable {
    private let held = Mutex<Set<String>>([])

    func take(_ name: String) -> (any StoreLock)? {
        held.withLock { $0.insert(name).inserted } ? MemoryLock(name: name, locks: self) : nil
    }

    fileprivate func release(_ name: String) {
        _ = held.withLock { $0.remove(name) }
    }
}

private final class MemoryLock: StoreLock {
    let name: String
    let locks: MemoryLocks
    private let released = Mutex(false)

    init(name: String, locks: MemoryLocks) {
        self.name = name
        self.locks = locks
    }

    func release() async {
        guard released.withLock({ done in defer { done = true }; return !done }) else { return }
        locks.release(name)
    }
}
