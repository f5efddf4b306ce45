import Foundation
import PaperboyCore
import PostgresNIO

/// Digest subscriptions in `subscriptions` (migration `v5 subscriptions`) and the link secret
/// among the server secrets; see `SubscriptionStore`.
///
/// Each change reads the row, changes the `Subscription` in Swift and writes it back whole in
/// one transaction, so the schedule (`next_due_at`) is always computed by the one pure
/// `DigestSchedule` and never drifts from the options it came from. The row is read
/// `FOR UPDATE`: a change on another node waits for this one and starts from its result
/// instead of overwriting it.
extension PostgresStore: SubscriptionStore {
    public func subscribe(_ request: SubscriptionRequest, at now: Date) async throws -> Subscription {
        let email = try EmailAddress.normalized(request.email)
        return try await write("cannot subscribe \(email)") { connection in
            // The address is claimed first, so two nodes subscribing it at once make one row.
            let time = now.timeIntervalSince1970
            let inserted = try await connection.query("""
                INSERT INTO subscriptions (email, state, frequency, send_hour, time_zone, trending, recommendations,
                                           saved_searches, created_at, updated_at)
                VALUES (\(email), 'pending', 'daily', 0, 'UTC', false, false, '[]', \(time), \(time))
                ON CONFLICT (email) DO NOTHING RETURNING id
                """, logger: logger)
            var createdID: Int64?
            for try await id in inserted.decode(Int64.self) { createdID = id }
            if let createdID {
                let created = Subscription(id: SubscriptionID(rawValue: createdID), email: email, reader: request.reader,
                                           state: .pending, options: request.options, createdAt: now)
                try await save(created, on: connection, at: now)
                return created
            }
            guard var existing = try await Self.subscriptions(connection.query("""
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE email = \(email) FOR UPDATE
                """, logger: logger)).first else {
                throw PaperboyError(.storage, "the subscription of \(email) went away while subscribing; try again")
            }
            existing.options = request.options
            if let reader = request.reader { existing.reader = reader }
            if existing.state == .unsubscribed { existing.state = .pending }
            try await save(existing, on: connection, at: now)
            return existing
        }
    }

    public func subscription(_ id: SubscriptionID) async throws -> Subscription? {
        try await read("cannot read subscription \(id)") { connection in
            try await Self.subscriptions(connection.query("""
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = \(id.rawValue)
                """, logger: logger)).first
        }
    }

    public func subscription(email: String) async throws -> Subscription? {
        guard let normalized = try? EmailAddress.normalized(email) else { return nil }
        return try await read("cannot read the subscription of \(normalized)") { connection in
            try await Self.subscriptions(connection.query("""
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE email = \(normalized)
                """, logger: logger)).first
        }
    }

    public func subscription(reader: ReaderID) async throws -> Subscription? {
        try await read("cannot read the subscription of reader \(reader)") { connection in
            try await Self.subscriptions(connection.query("""
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE reader_id = \(reader.rawValue)
                ORDER BY updated_at DESC, id DESC LIMIT 1
                """, logger: logger)).first
        }
    }

    public func updateOptions(_ id: SubscriptionID, _ options: DigestOptions, at now: Date) async throws -> Subscription? {
        try await change(id, at: now, "cannot change the options of subscription \(id)") { $0.options = options }
    }

    public func confirm(_ id: SubscriptionID, at now: Date) async throws -> Subscription? {
        try await write("cannot confirm subscription \(id)") { connection in
            guard var subscription = try await lockedSubscription(id, on: connection) else { return nil }
            switch subscription.state {
            case .confirmed: return subscription
            case .unsubscribed: return nil
            case .pending:
                subscription.state = .confirmed
                subscription.confirmedAt = now
                try await save(subscription, on: connection, at: now)
                return subscription
            }
        }
    }

    public func unsubscribe(_ id: SubscriptionID, at now: Date) async throws -> Subscription? {
        try await change(id, at: now, "cannot unsubscribe subscription \(id)") { subscription in
            if subscription.state != .unsubscribed { subscription.state = .unsubscribed }
        }
    }

    public func dueSubscriptions(at now: Date, limit: Int) async throws -> [Subscription] {
        try await read("cannot read the due subscriptions") { connection in
            try await Self.subscriptions(connection.query("""
                SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions
                WHERE next_due_at <= \(now.timeIntervalSince1970) AND state = 'confirmed' ORDER BY next_due_at, id LIMIT \(limit)
                """, logger: logger))
        }
    }

    public func recordDigest(_ id: SubscriptionID, period: DigestPeriod, at now: Date) async throws {
        _ = try await change(id, at: now, "cannot record digest \(period) of subscription \(id)") { subscription in
            subscription.lastPeriod = period
            subscription.lastDigestAt = now
        }
    }

    public func subscriptionCounts() async throws -> [SubscriptionState: Int] {
        try await read("cannot count the subscriptions") { connection in
            var counts: [SubscriptionState: Int] = [:]
            let rows = try await connection.query("SELECT state, count(*) FROM subscriptions GROUP BY state", logger: logger)
            for try await (state, n) in rows.decode((String, Int).self) {
                if let state = SubscriptionState(rawValue: state) { counts[state] = n }
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

    /// Reads, changes and writes back one subscription in one transaction.
    private func change(_ id: SubscriptionID, at now: Date, _ what: String,
                        _ body: @Sendable (inout Subscription) -> Void) async throws -> Subscription? {
        try await write(what) { connection in
            guard var subscription = try await lockedSubscription(id, on: connection) else { return nil }
            let before = subscription
            body(&subscription)
            if subscription != before { try await save(subscription, on: connection, at: now) }
            return subscription
        }
    }

    /// The subscription, its row locked until the transaction ends.
    private func lockedSubscription(_ id: SubscriptionID, on connection: PostgresConnection) async throws -> Subscription? {
        try await Self.subscriptions(connection.query("""
            SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = \(id.rawValue) FOR UPDATE
            """, logger: logger)).first
    }

    /// Writes every column of `subscription` over its row, with its schedule recomputed.
    private func save(_ subscription: Subscription, on connection: PostgresConnection, at now: Date) async throws {
        let options = subscription.options
        var weekday: Int?
        if case .weekly(let day) = options.frequency { weekday = day }
        let searches = String(decoding: try JSONEncoder().encode(options.savedSearches), as: UTF8.self)
        let state = subscription.state.rawValue
        let time = now.timeIntervalSince1970
        try await connection.query("""
            UPDATE subscriptions SET reader_id = \(subscription.reader?.rawValue), state = \(state),
                frequency = \(options.frequency.name), weekday = \(weekday), send_hour = \(options.sendHour),
                time_zone = \(options.timeZone), trending = \(options.includesTrending),
                recommendations = \(options.includesRecommendations), saved_searches = \(searches), updated_at = \(time),
                confirmed_at = \(subscription.confirmedAt?.timeIntervalSince1970),
                unsubscribed_at = CASE WHEN \(state) = 'unsubscribed' THEN coalesce(unsubscribed_at, \(time)) END,
                last_period = \(subscription.lastPeriod?.rawValue), last_digest_at = \(subscription.lastDigestAt?.timeIntervalSince1970),
                next_due_at = \(subscription.nextDueAt?.timeIntervalSince1970)
            WHERE id = \(subscription.id.rawValue)
            """, logger: logger)
    }

    /// The columns `subscriptions(_:)` decodes.
    private static let subscriptionColumns = """
        id, email, reader_id, state, frequency, weekday, send_hour, time_zone, trending, recommendations,
        saved_searches, created_at, confirmed_at, last_period, last_digest_at
        """

    private static func subscriptions(_ rows: PostgresRowSequence) async throws -> [Subscription] {
        var subscriptions: [Subscription] = []
        let decoded = rows.decode((Int64, String, Int64?, String, String, Int?, Int, String, Bool, Bool,
                                   String, Double, Double?, String?, Double?).self)
        for try await (id, email, reader, state, frequency, weekday, sendHour, timeZone, trending, recommendations,
                       searches, createdAt, confirmedAt, lastPeriod, lastDigestAt) in decoded {
            let options: DigestOptions
            do {
                options = try DigestOptions(
                    frequency: frequency == "weekly" ? .weekly(weekday: weekday ?? 1) : .daily, sendHour: sendHour,
                    timeZone: timeZone, includesTrending: trending, includesRecommendations: recommendations,
                    savedSearches: try JSONDecoder().decode([String].self, from: Data(searches.utf8)))
            } catch {
                throw PaperboyError(.storage, "subscription \(id) holds options this server refuses", cause: error)
            }
            subscriptions.append(Subscription(
                id: SubscriptionID(rawValue: id), email: email, reader: reader.map(ReaderID.init(rawValue:)),
                state: SubscriptionState(rawValue: state) ?? .pending, options: options, createdAt: Date(timeIntervalSince1970: createdAt),
                confirmedAt: confirmedAt.map(Date.init(timeIntervalSince1970:)), lastPeriod: lastPeriod.map(DigestPeriod.init(rawValue:)),
                lastDigestAt: lastDigestAt.map(Date.init(timeIntervalSince1970:))))
        }
        return subscriptions
    }
}
