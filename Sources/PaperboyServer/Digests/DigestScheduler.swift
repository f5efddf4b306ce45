import Foundation
import Logging
import ServiceLifecycle

/// Runs `DigestRun` once a minute until the server stops: a digest falls due at its send
/// hour and is composed within a minute of it, or at the first minute the server is up after
/// it (a machine asleep at the hour sends late rather than never).
public struct DigestScheduler: Service {
    let digests: DigestRun
    let interval: Duration
    let clock: @Sendable () -> Date

    public init(run: DigestRun, interval: Duration = .seconds(60), clock: @escaping @Sendable () -> Date = Date.init) {
        digests = run
        self.interval = interval
        self.clock = clock
    }

    /// Stops at a graceful shutdown, even mid-pass: a pass cut short is safe to run again.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await runOnce()
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }

    /// One pass; a failure is logged and the next minute tries again.
    func runOnce() async {
        do {
            guard let report = try await digests.run(at: clock()) else {
                digests.logger.info("another node is composing digests; waiting")
                return
            }
            if report != DigestRunReport() {
                digests.logger.notice("digests composed", metadata: [
                    "enqueued": "\(report.enqueued)", "empty": "\(report.empty)", "failed": "\(report.failed)",
                ])
            }
        } catch {
            digests.logger.error("digest run failed", metadata: ["error": "\(error)"])
        }
    }
}
