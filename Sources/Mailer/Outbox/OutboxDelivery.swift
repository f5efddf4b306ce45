import Foundation
import Logging
import ServiceLifecycle

/// Delivers the outbox while the server runs: a run every `interval`, and at once again while
/// a run ends with a full batch (a backlog, such as the morning's digests, goes out without
/// waiting). Mail enqueued by any process (a digest run, a password reset) goes out within
/// `interval`.
///
/// On shutdown it finishes the batch in hand rather than abandoning it mid-conversation, which
/// would count an attempt against every message in it, then stops.
public struct OutboxDelivery: Service {
    let sender: OutboxSender
    let interval: Duration
    let logger: Logger

    public init(sender: OutboxSender, interval: Duration = .seconds(30), logger: Logger = Logger(label: "paperboy.outbox")) {
        self.sender = sender
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        logger.info("delivering the outbox", metadata: ["every": "\(interval)"])
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if await deliverBatch() { continue }
            // Only the wait is cut short by shutdown; a batch in hand is finished.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One batch; true when it was full, so more may be due.
    func deliverBatch() async -> Bool {
        do {
            let report = try await sender.run(limit: sender.batchSize)
            return !report.busy && report.interruption == nil && report.handled >= sender.batchSize
        } catch {
            logger.error("cannot record what became of the outbox's mail", metadata: ["error": "\(error)"])
            return false
        }
    }
}
