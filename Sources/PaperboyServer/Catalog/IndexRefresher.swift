import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Keeps a running server's keyword index in step with the store: every `interval` it asks
/// the store for changes since the index's generation (one cheap query when there are none)
/// and, when there are, swaps in the caught-up engine. So papers imported by another process
/// while the server runs become searchable within `interval`. New papers wait for
/// `paperboy embed` to be found by meaning.
public struct IndexRefresher: Service {
    let catalog: PaperCatalog
    let interval: Duration
    let logger: Logger

    public init(catalog: PaperCatalog, interval: Duration = .seconds(5), logger: Logger = Logger(label: "paperboy.index")) {
        self.catalog = catalog
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { break }
                do {
                    let changed = try await catalog.refresh()
                    if changed > 0 { logger.info("keyword index caught up", metadata: ["papers": "\(changed)"]) }
                } catch {
                    logger.warning("cannot catch the keyword index up", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

extension PaperCatalog {
    /// Catches the keyword index up with the store; returns how many papers changed.
    @discardableResult
    public func refresh() async throws -> Int {
        var engine = self.engine
        guard try await store.generation() != engine.keywordIndex.generation else { return 0 }
        let changed = try await engine.keywordIndex.catchUp(with: store)
        if changed > 0 { replaceEngine(engine) }
        return changed
    }
}
