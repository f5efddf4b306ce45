import Foundation
import PaperboyCore
import StorageSQLite
import Synchronization
import Testing

@testable import Ingestion

/// When scheduled harvests run, and how the scheduler treats a busy store and a failure.
@Suite struct HarvestSchedulerTests {
    static func utc(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    /// arXiv announces at 20:00 US Eastern: the default run is at 20:30 there, whatever the
    /// season (01:30 UTC in winter, 00:30 UTC in summer).
    @Test func dailyRunFollowsNewYorkTimeAcrossDaylightSaving() throws {
        let schedule = HarvestSchedule.afterArxivAnnouncement
        #expect(schedule.nextRun(after: try Self.utc("2026-11-26T12:00:00Z")) == (try Self.utc("2026-11-27T01:30:00Z")))
        #expect(schedule.nextRun(after: try Self.utc("2026-07-01T12:00:00Z")) == (try Self.utc("2026-07-02T00:30:00Z")))
        // Strictly after: a run at the hour schedules the next day's.
        #expect(schedule.nextRun(after: try Self.utc("2026-11-27T01:30:00Z")) == (try Self.utc("2026-11-28T01:30:00Z")))
    }

    @Test func aTimeMissingOnTheSpringForwardDayRunsAtTheNextTime() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let schedule = HarvestSchedule.daily(DailyTime(hour: 2, minute: 30), zone)
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day.
        let next = schedule.nextRun(after: try Self.utc("2026-03-08T05:00:00Z"))
        let earliest = try Self.utc("2026-03-08T06:59:59Z"), latest = try Self.utc("2026-03-08T07:30:00Z")
        #expect(next > earliest && next <= latest, "\(next)")
    }

    @Test func intervalsAndTimesOfDayParse() throws {
        #expect(HarvestSchedule.hourly.nextRun(after: try Self.utc("2026-11-26T12:00:00Z")) == (try Self.utc("2026-11-26T13:00:00Z")))
        #expect(DailyTime("20:30") == DailyTime(hour: 20, minute: 30))
        #expect(DailyTime("7:05") == DailyTime(hour: 7, minute: 5))
        for bad in ["24:00", "12:60", "8pm", "12", ""] { #expect(DailyTime(bad) == nil, "\(bad)") }
    }

    static func report() -> HarvestReport { HarvestReport(source: "test", set: "") }

    @Test func aRunSaysWhenTheNextOneIsDue() async throws {
        let store = try PaperDatabase.inMemory()
        let now = try Self.utc("2026-11-26T12:00:00Z")
        let scheduler = HarvestScheduler(harvests: [], store: store, busyRetry: .seconds(60), failureRetry: .seconds(900), clock: { now })
        let hourly = ScheduledHarvest(name: "ok", schedule: .hourly) { Self.report() }
        #expect(await scheduler.runOnce(hourly) == now.addingTimeInterval(3_600))

        // A failure is tried again after failureRetry, or at the next run when that is sooner.
        let failing = ScheduledHarvest(name: "down", schedule: .hourly) { throw HarvestError(.unreachable, url: "http://x", message: "down") }
        #expect(await scheduler.runOnce(failing) == now.addingTimeInterval(900))
        let often = ScheduledHarvest(name: "down often", schedule: .every(.seconds(300))) { throw HarvestError(.unreachable, url: "http://x", message: "down") }
        #expect(await scheduler.runOnce(often) == now.addingTimeInterval(300))

        // Another process's harvest holds the store: wait busyRetry, running nothing.
        let ran = Atomic<Int>(0)
        let counted = ScheduledHarvest(name: "counted", schedule: .hourly) {
            ran.add(1, ordering: .relaxed)
            return Self.report()
        }
        let lock = try #require(try await store.lock(HarvestLock.name))
        #expect(await scheduler.runOnce(counted) == now.addingTimeInterval(60))
        #expect(ran.load(ordering: .relaxed) == 0)
        await lock.release()
        _ = await scheduler.runOnce(counted)
        #expect(ran.load(ordering: .relaxed) == 1)
    }

    /// Two harvests due often: both run at start and again later, never at the same time.
    @Test func harvestsRunAtStartThenOnScheduleOneAtATime() async throws {
        let store = try PaperDatabase.inMemory()
        let running = Atomic<Int>(0), overlapped = Atomic<Bool>(false)
        let runs = Mutex<[String]>([])
        func harvest(_ name: String) -> ScheduledHarvest {
            ScheduledHarvest(name: name, schedule: .every(.milliseconds(1))) {
                if running.add(1, ordering: .relaxed).newValue > 1 { overlapped.store(true, ordering: .relaxed) }
                runs.withLock { $0.append(name) }
                try await Task.sleep(for: .milliseconds(5))
                running.subtract(1, ordering: .relaxed)
                return Self.report()
            }
        }
        let scheduler = HarvestScheduler(harvests: [harvest("arxiv"), harvest("upvotes")], store: store)
        let task = Task { await scheduler.run() }
        // Until each has run twice; the deadline only stops a broken scheduler, as a busy
        // test run can keep this task from running for minutes.
        let deadline = ContinuousClock.now + .seconds(600)
        while ContinuousClock.now < deadline,
              runs.withLock({ names in ["arxiv", "upvotes"].contains { name in names.filter { $0 == name }.count < 2 } }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        await task.value
        let names = runs.withLock { $0 }
        #expect(Array(names.prefix(2)).sorted() == ["arxiv", "upvotes"], "both run at start: \(names)")
        #expect(names.filter { $0 == "arxiv" }.count >= 2 && names.filter { $0 == "upvotes" }.count >= 2, "\(names)")
        let overlaps = overlapped.load(ordering: .relaxed)
        #expect(!overlaps)
    }
}
