import Foundation
import Mailer
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting
import StorageSQLite
import Testing

/// Digest runs over a real store of fixture papers: each due digest is recorded in the outbox
/// once, whatever crashes and restarts happen between the steps.
struct DigestRunTests {
    /// Saturday 2026-06-13, 08:00:30 UTC: a weekly Saturday digest covers the fixture's week.
    static let now = Date(timeIntervalSince1970: 1_781_337_630)
    static let confirmedAt = Date(timeIntervalSince1970: 1_780_963_200)  // Tuesday 2026-06-09

    /// Sections from the catalog, except that a saved search for `fail` fails, as a crash would.
    struct Sources: DigestSources {
        let base: CatalogDigestSources

        func trending(since: Date, until: Date, limit: Int) async throws -> [Paper] {
            try await base.trending(since: since, until: until, limit: limit)
        }

        func recommendations(for reader: ReaderID, perTag limit: Int) async throws -> [(tag: String, entries: [DigestEntry])] {
            try await base.recommendations(for: reader, perTag: limit)
        }

        func searchHits(_ query: String, since: Date, until: Date, limit: Int) async throws -> [Paper] {
            if query == "fail" { throw PaperboyError(.storage, "the disk went away") }
            return try await base.searchHits(query, since: since, until: until, limit: limit)
        }
    }

    static func run(_ fixture: ServerFixture) -> DigestRun {
        DigestRun(store: fixture.store, sources: Sources(base: CatalogDigestSources(catalog: fixture.catalog)), composer: DigestFixture.composer)
    }

    /// A confirmed weekly (Saturday 08:00 UTC) subscription.
    static func subscribe(_ store: PaperDatabase, _ email: String, trending: Bool = true, searches: [String] = []) async throws -> Subscription {
        let options = try DigestOptions(frequency: .weekly(weekday: 6), sendHour: 8, includesTrending: trending, savedSearches: searches)
        let subscription = try await store.subscribe(SubscriptionRequest(email: email, options: options), at: confirmedAt)
        return try #require(try await store.confirm(subscription.id, at: confirmedAt))
    }

    @Test func eachDueDigestIsRecordedOnceAndAnEmptyOneNotAtAll() async throws {
        let fixture = try await ServerFixture.fresh()
        let store = fixture.store
        let ada = try await Self.subscribe(store, "ada@example.org")
        let grace = try await Self.subscribe(store, "grace@example.org", trending: false, searches: ["language models"])
        let quiet = try await Self.subscribe(store, "quiet@example.org", trending: false, searches: ["zzyzx qqqq"])
        let pending = try await store.subscribe(SubscriptionRequest(email: "pending@example.org", options: try DigestOptions(sendHour: 0)), at: Self.confirmedAt)

        let early = try #require(try await Self.run(fixture).run(at: Self.now - 60))
        #expect(early == DigestRunReport(), "nothing is due before 08:00")
        let report = try #require(try await Self.run(fixture).run(at: Self.now))
        #expect(report == DigestRunReport(enqueued: 2, empty: 1))
        for subscription in [ada, grace] {
            let message = try #require(try await store.outboxMessage(key: "digest:\(subscription.id):2026-W24"))
            #expect(message.draft.recipient == subscription.email && message.draft.sender == "digest@paperboy.example")
            let head = String(decoding: message.draft.message.prefix(2_000), as: UTF8.self)
            #expect(head.contains("Message-ID: <digest.\(subscription.id).2026-W24@paperboy.example>"))
        }
        #expect(try await store.outboxMessage(key: "digest:\(quiet.id):2026-W24") == nil)
        #expect(try await store.outboxMessage(key: "digest:\(pending.id):2026-W24") == nil)
        for subscription in [ada, grace, quiet] {
            #expect(try await store.subscription(subscription.id)?.lastPeriod?.rawValue == "2026-W24")
        }
        // A minute later, and a week minus a minute later: nothing more.
        #expect(try await Self.run(fixture).run(at: Self.now + 60) == DigestRunReport())
        #expect(try await store.dueSubscriptions(at: Self.now + 7 * 86_400 - 60, limit: 10).isEmpty)
        #expect(try await store.outboxCounts() == OutboxCounts(pending: 2))
    }

    /// The run stops half way (a saved search fails for the second subscriber); the restart
    /// composes only what was not recorded.
    @Test func aRunStoppedHalfWayResumesWithoutRepeatsOrGaps() async throws {
        let fixture = try await ServerFixture.fresh()
        let store = fixture.store
        let ada = try await Self.subscribe(store, "ada@example.org")
        let grace = try await Self.subscribe(store, "grace@example.org", searches: ["fail"])
        await #expect(throws: PaperboyError.self) { _ = try await Self.run(fixture).run(at: Self.now) }
        let first = try #require(try await store.outboxMessage(key: "digest:\(ada.id):2026-W24"))
        #expect(try await store.outboxMessage(key: "digest:\(grace.id):2026-W24") == nil)
        let lock = try #require(try await store.lock("digests"), "the failed run released the lock")
        await lock.release()

        _ = try await store.updateOptions(grace.id, try DigestOptions(frequency: .weekly(weekday: 6), sendHour: 8), at: Self.now)
        let report = try #require(try await Self.run(fixture).run(at: Self.now + 120))
        #expect(report == DigestRunReport(enqueued: 1))
        #expect(try await store.outboxMessage(key: "digest:\(ada.id):2026-W24") == first)
        #expect(try await store.outboxMessage(key: "digest:\(grace.id):2026-W24") != nil)
        #expect(try await store.outboxCounts() == OutboxCounts(pending: 2))
    }

    /// A crash after a digest reached the outbox but before its period was recorded: after the
    /// restart the period is recorded and the outbox still holds the one first composition.
    @Test func aCrashBetweenEnqueueAndRecordRecordsTheDigestOnce() async throws {
        let fixture = try await ServerFixture.fresh()
        let store = fixture.store
        let ada = try await Self.subscribe(store, "ada@example.org")
        let run = Self.run(fixture)
        // The first half of the run, as `DigestRun` does it, then the crash.
        let due = try #require(ada.duePeriod(at: Self.now))
        let sections = try await run.sections(for: ada, due: due, at: Self.now)
        let composed = try #require(try DigestFixture.composer.digest(for: ada, period: due, sections: sections, at: Self.now))
        let key = DigestComposer.outboxKey(ada.id, due.period)
        #expect(try await store.enqueue([DigestComposer.draft(composed, key: key)], at: Self.now) == 1)

        let restarted = try #require(try await run.run(at: Self.now + 300))
        #expect(restarted == DigestRunReport(enqueued: 0))
        #expect(try await store.outboxCounts() == OutboxCounts(pending: 1))
        #expect(try await store.outboxMessage(key: key)?.draft.message == Data(composed.rendered()))
        #expect(try await store.subscription(ada.id)?.lastPeriod == due.period)
        #expect(try await run.run(at: Self.now + 600) == DigestRunReport())
    }

    @Test func aRunWaitsWhileAnotherHoldsTheLock() async throws {
        let fixture = try await ServerFixture.fresh()
        _ = try await Self.subscribe(fixture.store, "ada@example.org")
        let held = try #require(try await fixture.store.lock("digests"))
        #expect(try await Self.run(fixture).run(at: Self.now) == nil)
        #expect(try await fixture.store.outboxCounts() == OutboxCounts())
        await held.release()
        #expect(try await Self.run(fixture).run(at: Self.now)?.enqueued == 1)
    }

    @Test func anUnsubscribedReaderGetsNothingEvenWhenDue() async throws {
        let fixture = try await ServerFixture.fresh()
        let ada = try await Self.subscribe(fixture.store, "ada@example.org")
        _ = try await fixture.store.unsubscribe(ada.id, at: Self.now - 1)
        #expect(try await Self.run(fixture).run(at: Self.now) == DigestRunReport())
        #expect(try await fixture.store.outboxCounts() == OutboxCounts())
    }
}
