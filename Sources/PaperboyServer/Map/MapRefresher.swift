import Foundation
import Logging
import PaperMap
import ServiceLifecycle

/// Keeps the server's map the one `paperboy map` last saved: looks at the map file every
/// `interval` and loads it again when it changed, so a map computed while the server runs
/// shows up without a restart.
///
/// A file that does not load (damaged, or from a newer Paperboy) is reported once per change
/// and the map already shown stays. Loading a million-paper map and building its grid takes
/// a second or two, done on a thread of its own so requests keep being answered meanwhile.
public struct MapRefresher: Service {
    let file: URL
    let fieldMap: FieldMap
    let interval: Duration
    let load: @Sendable () throws -> PaperMap
    let logger: Logger

    public init(file: URL, fieldMap: FieldMap, interval: Duration, logger: Logger = Logger(label: "paperboy.map"),
                load: @escaping @Sendable () throws -> PaperMap) {
        self.file = file
        self.fieldMap = fieldMap
        self.interval = interval
        self.load = load
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var seen: FileStamp?
            while !Task.isCancelled {
                let stamp = FileStamp(file)
                if stamp != seen {
                    seen = stamp
                    if stamp != nil { await reload() }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func reload() async {
        let started = ContinuousClock.now
        do {
            let (map, drawn) = try await Self.offThePool { [load] in
                let map = try load()
                return (map, DrawnMap(map))
            }
            fieldMap.replace(drawn)
            logger.notice("map loaded", metadata: ["papers": "\(map.count)", "topics": "\(map.topics.count)",
                                                   "seconds": "\((ContinuousClock.now - started).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2))))"])
        } catch {
            logger.error("cannot load the map; the one shown stays", metadata: ["file": "\(file.path)", "error": "\(error)"])
        }
    }

    /// Runs `work` on a Dispatch thread: Swift's cooperative pool has one thread a core, and
    /// a second-long load on it would hold up every request on that core.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// What tells a changed file from the same one: its modification time and size.
private struct FileStamp: Equatable {
    let modified: Date
    let size: Int

    init?(_ file: URL) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
              let modified = attributes[.modificationDate] as? Date, let size = attributes[.size] as? Int else { return nil }
        self.modified = modified
        self.size = size
    }
}
