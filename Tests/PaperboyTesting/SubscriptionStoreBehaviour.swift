import Foundation
import PaperboyCore
import Testing

/// What every subscription store does, written once and run against each store: one
/// subscription per address, double opt-in, unsubscribing at once, due subscriptions and
/// periods composed once.
public enum SubscriptionStoreBehaviour {
    public static let all: [(name: String, check: @Sendable (any SubscriptionStore) async throws -> Void)] = [
        ("one subscription per normalized address", oneSubscriptionPerAddress),
        ("confirmation is needed and stays", confirmationIsNeededAndStays),
        ("unsubscribing takes effect at once", unsubscribingTakesEffectAtOnce),
        ("due subscriptions follow their schedule", dueSubscriptionsFollowTheirSchedule),
        ("a period is composed once", aPeriodIsComposedOnce),
        ("the site secret is made once", theSiteSecretIsMadeOnce),
    ]

    public static func run(_ name: String, on store: any SubscriptionStore) async throws {
        guard let behaviour = all.first(where: { $0.name == name }) else {
            Issue.record("no subscription behaviour named \(name)")
            return
        }
        try await behaviour.check(store)
    }

    /// Thursday 2026-11-26, 06:00 UTC.
    public static let start = Date(timeIntervalSince1970: 1_795_672_800)

    public static func options(hour: Int = 8, zone: String = "UTC", searches: [String] = []) throws -> DigestOptions {
        try DigestOptions(frequency: .daily, sendHour: hour, timeZone: zone, savedSearches: searches)
    }

    public static func oneSubscriptionPerAddress(_ store: any SubscriptionStore) async throws {
        let first = try await store.subscribe(SubscriptionRequest(email: " Ada@Example.org", options: options()), at: start)
        #expect(first.email == "ada@example.org" && first.state == .pending && first.reader == nil)
        let again = try await store.subscribe(
            SubscriptionRequest(email: "ADA@example.org", reader: ReaderID(rawValue: 7), options: options(hour: 9, searches: ["moe"])), at: start + 60)
        #expect(again.id == first.id)
        #expect(again.options.sendHour == 9 && again.options.savedSearches == ["moe"] && again.reader == ReaderID(rawValue: 7))
        #expect(try await store.subscription(email: "ada@EXAMPLE.org")?.id == first.id)
        #expect(try await store.subscription(reader: ReaderID(rawValue: 7))?.id == first.id)
        #expect(try await store.subscription(reader: ReaderID(rawValue: 8)) == nil)
        let other = try await store.subscribe(SubscriptionRequest(email: "grace@example.org", options: options()), at: start)
        #expect(other.id != first.id)
        #expect(try await store.subscription(first.id) == again)
        await #expect(throws: PaperboyError.self) {
            _ = try await store.subscribe(SubscriptionRequest(email: "not an address", options: options()), at: start)
        }
    }

    public static func confirmationIsNeededAndStays(_ store: any SubscriptionStore) async throws {
        let pending = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: options()), at: start)
        #expect(try await store.dueSubscriptions(at: start + 30 * 86_400, limit: 10).isEmpty, "pending is never due")
        let confirmed = try #require(try await store.confirm(pending.id, at: start + 60))
        #expect(confirmed.state == .confirmed && confirmed.confirmedAt == start + 60)
        // Confirming again, or subscribing again with new options, keeps it confirmed.
        #expect(try await store.confirm(pending.id, at: start + 120) == confirmed)
        let updated = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: options(hour: 10)), at: start + 180)
        #expect(updated.state == .confirmed && updated.options.sendHour == 10)
        #expect(try await store.confirm(SubscriptionID(rawValue: 9_999), at: start) == nil)
        #expect(try await store.subscriptionCounts() == [.confirmed: 1])
    }

    public static func unsubscribingTakesEffectAtOnce(_ store: any SubscriptionStore) async throws {
        let subscription = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: options()), at: start)
        _ = try await store.confirm(subscription.id, at: start)
        #expect(try await store.dueSubscriptions(at: start + 86_400, limit: 10).map(\.id) == [subscription.id])
        let gone = try #require(try await store.unsubscribe(subscription.id, at: start + 10))
        #expect(gone.state == .unsubscribed)
        #expect(try await store.dueSubscriptions(at: start + 86_400, limit: 10).isEmpty)
        // Replayed: nothing changes. An old confirmation link does not bring it back.
        #expect(try await store.unsubscribe(subscription.id, at: start + 20)?.state == .unsubscribed)
        #expect(try await store.confirm(subscription.id, at: start + 30) == nil)
        // Subscribing again needs a new confirmation.
        let back = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: options()), at: start + 40)
        #expect(back.id == subscription.id && back.state == .pending)
        #expect(try await store.dueSubscriptions(at: start + 86_400, limit: 10).isEmpty)
    }

    public static func dueSubscriptionsFollowTheirSchedule(_ store: any SubscriptionStore) async throws {
        // 08:00 UTC, 08:00 in Tokyo (23:00 UTC the day before) and 08:00 in New York (13:00 UTC).
        var ids: [String: SubscriptionID] = [:]
        for (name, zone) in [("utc", "UTC"), ("tokyo", "Asia/Tokyo"), ("newyork", "America/New_York")] {
            let subscription = try await store.subscribe(SubscriptionRequest(email: "\(name)@example.org", options: options(zone: zone)), at: start)
            _ = try await store.confirm(subscription.id, at: start)
            ids[name] = subscription.id
        }
        #expect(try await store.dueSubscriptions(at: start + 3_599, limit: 10).isEmpty)  // 06:59
        #expect(try await store.dueSubscriptions(at: start + 7_200, limit: 10).map(\.id) == [ids["utc"]])  // 08:00
        #expect(try await store.dueSubscriptions(at: start + 7 * 3_600, limit: 10).map(\.id) == [ids["utc"], ids["newyork"]])
        #expect(try await store.dueSubscriptions(at: start + 17 * 3_600, limit: 10).map(\.id) == [ids["utc"], ids["newyork"], ids["tokyo"]])
        #expect(try await store.dueSubscriptions(at: start + 17 * 3_600, limit: 2).count == 2)
        // A new hour moves the schedule.
        let moved = try await store.updateOptions(try #require(ids["utc"]), options(hour: 20), at: start)
        #expect(moved?.options.sendHour == 20 && moved?.state == .confirmed)
        #expect(try await store.dueSubscriptions(at: start + 7 * 3_600, limit: 10).map(\.id) == [ids["newyork"]])
        #expect(try await store.updateOptions(SubscriptionID(rawValue: 9_999), options(), at: start) == nil)
    }

    public static func aPeriodIsComposedOnce(_ store: any SubscriptionStore) async throws {
        let subscription = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: options()), at: start)
        _ = try await store.confirm(subscription.id, at: start)
        let now = start + 2 * 3_600 + 30  // 08:00:30
        let due = try #require(try await store.dueSubscriptions(at: now, limit: 10).first)
        let period = try #require(due.duePeriod(at: now))
        #expect(period.period.rawValue == "2026-11-26")
        try await store.recordDigest(due.id, period: period.period, at: now)
        try await store.recordDigest(due.id, period: period.period, at: now)  // a replay changes nothing
        #expect(try await store.dueSubscriptions(at: now + 86_399 - 30, limit: 10).isEmpty)
        let recorded = try #require(try await store.subscription(due.id))
        #expect(recorded.lastPeriod == period.period && recorded.lastDigestAt == now)
        #expect(try await store.dueSubscriptions(at: now + 86_400, limit: 10).map(\.id) == [due.id])
        #expect(try await store.subscription(due.id)?.duePeriod(at: now + 86_400)?.period.rawValue == "2026-11-27")
    }

    public static func theSiteSecretIsMadeOnce(_ store: any SubscriptionStore) async throws {
        let secret = try await store.siteSecret()
        #expect(secret.count == 32)
        #expect(Set(secret).count > 8, "random bytes, not a constant")
        #expect(try await store.siteSecret() == secret)
    }
}
