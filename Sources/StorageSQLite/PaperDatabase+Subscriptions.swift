import Foundation
import GRDB
import PaperboyCore

/// Digest subscriptions in `subscriptions` and the link secret in `site_secrets` (migration
/// `v9 subscriptions`); see `SubscriptionStore`.
///
/// Each change reads the row, changes the `Subscription` in Swift and writes it back whole in
/// one transaction, so the schedule (`next_due_at`) is always computed by the one pure
/// `DigestSchedule` and never drifts from the options it came from.
extension PaperDatabase: SubscriptionStore {
    public func subscribe(_ request: SubscriptionRequest, at now: Date) async throws -> Subscription {
        let email = try EmailAddress.normalized(request.email)
        return try await access("cannot subscribe \(email)") { writer in
            try await writer.write { db in
                if var existing = try Self.subscription(db, "email = ?", [email]) {
                    existing.options = request.options
                    if let reader = request.reader { existing.reader = reader }
                    if existing.state == .unsubscribed { existing.state = .pending }
                    try Self.save(existing, db, at: now)
                    return existing
                }
                var created = Subscription(id: SubscriptionID(rawValue: 0), email: email, reader: request.reader,
                                           state: .pending, options: request.options, createdAt: now)
                try db.execute(sql: """
                    INSERT INTO subscriptions (email, state, frequency, send_hour, time_zone, trending, recommendations,
                                               saved_searches, created_at, updated_at)
                    VALUES (?, 'pending', 'daily', 0, 'UTC', 0, 0, '[]', ?, ?)
                    """, arguments: [email, now.timeIntervalSince1970, now.timeIntervalSince1970])
                created.id = SubscriptionID(rawValue: db.lastInsertedRowID)
                try Self.save(created, db, at: now)
                return created
            }
        }
    }

    public func subscription(_ id: SubscriptionID) async throws -> Subscription? {
        try await read("cannot read subscription \(id)") { db in try Self.subscription(db, "id = ?", [id.rawValue]) }
    }

    public func subscription(email: String) async throws -> Subscription? {
        guard let normalized = try? EmailAddress.normalized(email) else { return nil }
        return try await read("cannot read the subscription of \(normalized)") { db in
            try Self.subscription(db, "email = ?", [normalized])
        }
    }

    public func subscription(reader: ReaderID) async throws -> Subscription? {
        try await read("cannot read the subscription of reader \(reader)") { db in
            try Self.subscription(db, "reader_id = ? ORDER BY updated_at DESC, id DESC", [reader.rawValue])
        }
    }

    public func updateOptions(_ id: SubscriptionID, _ options: DigestOptions, at now: Date) async throws -> Subscription? {
        try await change(id, at: now, "cannot change the options of subscription \(id)") { $0.options = options }
    }

    public func confirm(_ id: SubscriptionID, at now: Date) async throws -> Subscription? {
        try await access("cannot confirm subscription \(id)") { writer in
            try await writer.write { db in
                guard var subscription = try Self.subscription(db, "id = ?", [id.rawValue]) else { return nil }
                switch subscription.state {
                case .confirmed: return subscription
                case .unsubscribed: return nil
                case .pending:
                    subscription.state = .confirmed
                    subscription.confirmedAt = now
                    try Self.save(subscription, db, at: now)
                    return subscription
                }
            }
        }
    }

    public func unsubscribe(_ id: SubscriptionID, at now: Date) async throws -> Subscription? {
        try await change(id, at: now, "cannot unsubscribe subscription \(id)") { subscription in
            if subscription.state != .unsubscribed { subscription.state = .unsubscribed }
        }
    }

    public func dueSubscriptions(at now: Date, limit: Int) async throws -> [Subscription] {
        try await access("cannot read the due subscriptions") { writer in
            try await writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM subscriptions WHERE next_due_at <= ? AND state = 'confirmed' ORDER BY next_due_at, id LIMIT ?
                    """, arguments: [now.timeIntervalSince1970, limit]).map(Self.subscription)
            }
        }
    }

    public func recordDigest(_ id: SubscriptionID, period: DigestPeriod, at now: Date) async throws {
        _ = try await change(id, at: now, "cannot record digest \(period) of subscription \(id)") { subscription in
            subscription.lastPeriod = period
            subscription.lastDigestAt = now
        }
    }

    public func subscriptionCounts() async throws -> [SubscriptionState: Int] {
        try await read("cannot count the subscriptions") { db in
            var counts: [SubscriptionState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM subscriptions GROUP BY state") {
                let n: Int = row["n"]
                if let state = SubscriptionState(rawValue: row["state"]) { counts[state] = n }
            }
            return counts
        }
    }

    /// The key of the digests' links: one of the store's server secrets (made by the first
    /// process to ask), so every node serving the store signs alike.
    public func siteSecret() async throws -> [UInt8] {
        try await secret(named: "links") {
            var random = SystemRandomNumberGenerator()
            return (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
    }

    // MARK: Rows

    private func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await access(what) { writer in try await writer.read(body) }
    }

    /// Reads, changes and writes back one subscription in one transaction.
    private func change(_ id: SubscriptionID, at now: Date, _ what: String,
                        _ body: @escaping @Sendable (inout Subscription) -> Void) async throws -> Subscription? {
        try await access(what) { writer in
            try await writer.write { db in
                guard var subscription = try Self.subscription(db, "id = ?", [id.rawValue]) else { return nil }
                let before = subscription
                body(&subscription)
                if subscription != before { try Self.save(subscription, db, at: now) }
                return subscription
            }
        }
    }

    private static func subscription(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> Subscription? {
        try Row.fetchOne(db, sql: "SELECT * FROM subscriptions WHERE \(condition) LIMIT 1", arguments: arguments).map(subscription)
    }

    /// Writes every column of `subscription` over its row, with its schedule recomputed.
    private static func save(_ subscription: Subscription, _ db: Database, at now: Date) throws {
        let options = subscription.options
        var weekday: Int?
        if case .weekly(let day) = options.frequency { weekday = day }
        let searches = String(decoding: try JSONEncoder().encode(options.savedSearches), as: UTF8.self)
        try db.execute(sql: """
            UPDATE subscriptions SET reader_id = ?, state = ?, frequency = ?, weekday = ?, send_hour = ?, time_zone = ?,
                trending = ?, recommendations = ?, saved_searches = ?, updated_at = ?, confirmed_at = ?,
                unsubscribed_at = CASE WHEN ? = 'unsubscribed' THEN coalesce(unsubscribed_at, ?) END,
                last_period = ?, last_digest_at = ?, next_due_at = ?
            WHERE id = ?
            """, arguments: [
                subscription.reader?.rawValue, subscription.state.rawValue, options.frequency.name, weekday, options.sendHour,
                options.timeZone, options.includesTrending, options.includesRecommendations, searches,
                now.timeIntervalSince1970, subscription.confirmedAt?.timeIntervalSince1970,
                subscription.state.rawValue, now.timeIntervalSince1970,
                subscription.lastPeriod?.rawValue, subscription.lastDigestAt?.timeIntervalSince1970,
                subscription.nextDueAt?.timeIntervalSince1970, subscription.id.rawValue,
            ])
    }

    private static func subscription(_ row: Row) throws -> Subscription {
        let id: Int64 = row["id"]
        let frequency: DigestFrequency = (row["frequency"] as String) == "weekly" ? .weekly(weekday: row["weekday"] ?? 1) : .daily
        let searches = try JSONDecoder().decode([String].self, from: Data((row["saved_searches"] as String).utf8))
        let options: DigestOptions
        do {
            options = try DigestOptions(frequency: frequency, sendHour: row["send_hour"], timeZone: row["time_zone"],
                                        includesTrending: row["trending"], includesRecommendations: row["recommendations"],
                                        savedSearches: searches)
        } catch {
            throw PaperboyError(.storage, "subscription \(id) holds options this server refuses", cause: error)
        }
        let date: (String) -> Date? = { column in (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return Subscription(
            id: SubscriptionID(rawValue: id), email: row["email"], reader: (row["reader_id"] as Int64?).map(ReaderID.init(rawValue:)),
            state: SubscriptionState(rawValue: row["state"]) ?? .pending, options: options,
            createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0), confirmedAt: date("confirmed_at"),
            lastPeriod: (row["last_period"] as String?).map(DigestPeriod.init(rawValue:)), lastDigestAt: date("last_digest_at"))
    }
}
