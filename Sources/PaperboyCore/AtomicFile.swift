import Foundation

/// Writes a file whole or not at all: the one way the map and the vector index are saved.
///
/// The parts go to a temporary file beside the target (named after the process, so a killed
/// writer's leftovers are recognised and cleared by the next save: `LeftoverTemporaries`),
/// are flushed to disk, and the temporary is renamed over the target, then the directory is
/// flushed so the rename itself survives a power cut. A reader sees the old file or the new
/// one, never part of each; a failed save leaves the old file and no temporary.
public enum AtomicFile {
    public enum Failure: Error, CustomStringConvertible {
        /// The temporary file could not be created.
        case create(temporary: String, reason: String)
        /// Writing, flushing or renaming failed (a full disk, a vanished directory).
        case write(reason: String)

        public var description: String {
            switch self {
            case .create(let temporary, let reason): "cannot create \(temporary): \(reason)"
            case .write(let reason): "cannot write: \(reason)"
            }
        }
    }

    /// Writes `parts`, one after another, as the file at `path`.
    public static func write(_ parts: [UnsafeRawBufferPointer], to path: String) throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        LeftoverTemporaries.remove(in: directory, prefix: (path as NSString).lastPathComponent + ".tmp-", suffix: "")
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .create(temporary: temporary, reason: String(cString: strerror(errno))) }
        var ok = true
        for part in parts where ok { ok = writeAll(fd, part) }
        ok = ok && fsync(fd) == 0
        let reason = String(cString: strerror(errno))
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .write(reason: reason)
        }
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var next = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            // At most 1 GiB a call: Linux writes no more than about 2 GiB at once.
            let written = Foundation.write(fd, next, min(left, 1 << 30))
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            next += written
            left -= written
        }
        return true
    }
}
