import Foundation
import Logging
import PaperboyCore

/// One harvest a server runs on a schedule: a name for the logs, when, and what.
public struct ScheduledHarvest: Sendable {
    public var name: String
    public var schedule: HarvestSchedule
    public var harvest: @Sendable () async throws -> HarvestReport

    public init(name: String, schedule: HarvestSchedule, harvest: @escaping @Sendable () async throws -> HarvestReport) {
        self.name = name
        self.schedule = schedule
        self.harvest = harvest
    }
}

/// Runs scheduled harvests until cancelled: each once at start (a laptop asleep at the
/// scheduled hour still catches up; harvests resume from their stored cursors, so an
/// early run costs one request when nothing is new), then at its schedule's times.
///
/// Runs go one at a time and hold the store's harvest lock, so they never overlap another
/// harvest in another process either: a run that finds the lock taken waits `busyRetry`
/// and tries again.
/// A failed run (the source unreachable) is tried again after `failureRetry`, unless the
/// next scheduled run comes first. Papers a run stores reach the indexes through the
/// server's refresher, as any other writer's do.
public struct HarvestScheduler: Sendable {
    public var harvests: [ScheduledHarvest]
    let store: any PaperStore
    let busyRetry: Duration
    let failureRetry: Duration
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(harvests: [ScheduledHarvest], store: any PaperStore, busyRetry: Duration = .seconds(60),
                failureRetry: Duration = .seconds(900), logger: Logger = Logger(label: "paperboy.harvest"),
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.harvests = harvests
        self.store = store
        self.busyRetry = busyRetry
        self.failureRetry = failureRetry
        self.logger = logger
        self.clock = clock
    }

    /// Runs every harvest on its schedule, one after another (the earliest due first), until
    /// the task is cancelled.
    public func run() async {
        var due = harvests.map { _ in clock() }
        while !Task.isCancelled, let next = due.indices.min(by: { due[$0] < due[$1] }) {
            let wait = due[next].timeIntervalSince(clock())
            if wait > 0 {
                logger.info("next harvest", metadata: ["harvest": "\(harvests[next].name)", "at": "\(due[next])"])
                do { try await Task.sleep(for: .seconds(wait)) } catch { return }
            }
            due[next] = await runOnce(harvests[next])
        }
    }

    /// Runs `harvest` now and says when it should run next.
    func runOnce(_ harvest: ScheduledHarvest) async -> Date {
        let scheduled = harvest.schedule.nextRun(after: clock())
        do {
            let report = try await HarvestLock.whileHeld(on: store) { try await harvest.harvest() }
            let c = report.counts
            logger.notice("harvested", metadata: [
                "harvest": "\(harvest.name)", "new": "\(c.inserted)", "updated": "\(c.updated)",
                "unchanged": "\(c.unchanged)", "rejected": "\(report.rejected)",
                "seconds": "\(String(format: "%.1f", report.seconds))",
            ])
            return scheduled
        } catch is HarvestBusy {
            logger.info("another harvest holds the store; waiting", metadata: ["harvest": "\(harvest.name)"])
            return min(scheduled, clock().addingTimeInterval(busyRetry.seconds))
        } catch {
            let retry = min(scheduled, clock().addingTimeInterval(failureRetry.seconds))
            logger.error("harvest failed", metadata: ["harvest": "\(harvest.name)", "error": "\(error)", "retry at": "\(retry)"])
            return retry
        }
    }
}
