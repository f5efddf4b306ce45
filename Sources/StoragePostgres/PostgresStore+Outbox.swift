import Foundation
import PaperboyCore
import PostgresNIO

/// The mail outbox in `outbox` (migration `v2 outbox`); see `OutboxStore`.
///
/// Each change is one statement, so each is atomic; the state changes apply to pending
/// messages only, so a sent or dropped message can never be sent again by a late update.
extension PostgresStore: OutboxStore {
    /// How long messages handed to a sender stay its own (see `dueMessages`): far longer than a
    /// batch takes against a server that answers, well within the hour a reset link lasts.
    static let outboxClaimLease: TimeInterval = 15 * 60

    /// Who claims messages for this store: the process and the store in it, so two stores
    /// (two nodes, or two in one test) never pass for one another.
    private var outboxClaimant: String {
        "\(Self.processToken)/\(UInt(bitPattern: ObjectIdentifier(self)))"
    }

    private static let processToken = UUID().uuidString

    /// The columns `outboxMessages` decodes (qualified, for `UPDATE … FROM`).
    private static let outboxColumns = """
        outbox.id, outbox.key, outbox.sender, outbox.recipient, outbox.message, outbox.state, outbox.attempts,
        outbox.next_attempt, outbox.last_result, outbox.created_at
        """

    public func enqueue(_ drafts: [OutboxDraft], at now: Date) async throws -> Int {
        try await write("cannot record \(drafts.count) messages in the outbox (none was recorded)") { connection in
            var added = 0
            for draft in drafts {
                let time = now.timeIntervalSince1970
                added += try await connection.query("""
                    INSERT INTO outbox (key, sender, recipient, message, state, next_attempt, created_at)
                    VALUES (\(draft.key), \(draft.sender), \(draft.recipient), \(draft.message), 'pending', \(time), \(time))
                    ON CONFLICT (key) DO NOTHING RETURNING id
                    """, logger: logger).collect().count
            }
            return added
        }
    }

    /// Claims the due messages for this store's sender and returns them.
    ///
    /// The `outbox` lock keeps one sender at a time, but a lock held on a connection can be
    /// lost (a network cut) while its sender still works, so the rows themselves record who
    /// has them: each returned message is claimed by this store (`claimed_by`) for
    /// `outboxClaimLease` (`claimed_until`), and another store is not handed it until its
    /// outcome is marked or the lease has run out (its sender crashed). `FOR UPDATE SKIP LOCKED`
    /// makes two claims at the same moment take different rows instead of waiting on each
    /// other. The claim lives in columns of its own, not in `next_attempt`: this store is
    /// handed its own claimed messages again, as the SQLite store would hand them, and the
    /// retry schedule and `failedMessages` stay untouched.
    public func dueMessages(at now: Date, limit: Int) async throws -> [OutboxMessage] {
        let time = now.timeIntervalSince1970
        let claimant = outboxClaimant
        return try await write("cannot read the outbox") { connection in
            let rows = try await connection.query("""
                WITH due AS (
                    SELECT id FROM outbox
                    WHERE state = 'pending' AND next_attempt <= \(time)
                        AND (claimed_by IS NULL OR claimed_by = \(claimant) OR claimed_until <= \(time))
                    ORDER BY next_attempt, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE outbox SET claimed_by = \(claimant), claimed_until = \(time + Self.outboxClaimLease)
                FROM due WHERE outbox.id = due.id
                RETURNING \(unescaped: Self.outboxColumns)
                """, logger: logger)
            // UPDATE … RETURNING keeps no order.
            return try await Self.outboxMessages(rows).sorted { ($0.nextAttempt, $0.id) < ($1.nextAttempt, $1.id) }
        }
    }

    public func markSent(_ id: Int64, reply: String, at now: Date) async throws {
        try await finish(id, "sent", result: reply, at: now, what: "mark outbox message \(id) sent")
    }

    public func markDropped(_ id: Int64, reason: String) async throws {
        try await finish(id, "dropped", result: reason, at: Date(), what: "drop outbox message \(id)")
    }

    /// Also lets go of the claim: at `retryAt` any node's sender may take the message.
    public func markDeferred(_ id: Int64, reason: String, retryAt: Date) async throws {
        try await read("cannot defer outbox message \(id)") { connection in
            _ = try await connection.query("""
                UPDATE outbox SET attempts = attempts + 1, next_attempt = \(retryAt.timeIntervalSince1970),
                    last_result = \(reason), claimed_by = NULL, claimed_until = NULL
                WHERE id = \(id) AND state = 'pending'
                """, logger: logger)
        }
    }

    public func outboxMessage(key: String) async throws -> OutboxMessage? {
        try await read("cannot read the outbox") { connection in
            try await Self.outboxMessages(connection.query(
                "SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE key = \(key)", logger: logger)).first
        }
    }

    public func outboxCounts() async throws -> OutboxCounts {
        try await read("cannot count the outbox") { connection in
            var counts = OutboxCounts()
            let rows = try await connection.query("SELECT state, count(*) FROM outbox GROUP BY state", logger: logger)
            for try await (state, n) in rows.decode((String, Int).self) {
                switch OutboxState(rawValue: state) {
                case .pending: counts.pending = n
                case .sent: counts.sent = n
                case .dropped: counts.dropped = n
                case nil: break
                }
            }
            return counts
        }
    }

    public func failedMessages(limit: Int) async throws -> [OutboxMessage] {
        try await read("cannot read the outbox") { connection in
            try await Self.outboxMessages(connection.query("""
                SELECT \(unescaped: Self.outboxColumns) FROM outbox WHERE state != 'sent' AND last_result IS NOT NULL
                ORDER BY coalesce(finished_at, next_attempt) DESC, id DESC LIMIT \(limit)
                """, logger: logger))
        }
    }

    /// Moves a pending message to `state` for good, counting the attempt that ended it.
    private func finish(_ id: Int64, _ state: String, result: String, at now: Date, what: String) async throws {
        try await read("cannot \(what)") { connection in
            _ = try await connection.query("""
                UPDATE outbox SET state = \(state), attempts = attempts + 1, last_result = \(result),
                    finished_at = \(now.timeIntervalSince1970)
                WHERE id = \(id) AND state = 'pending'
                """, logger: logger)
        }
    }

    /// The messages of rows holding `outboxColumns`, in their order.
    private static func outboxMessages(_ rows: PostgresRowSequence) async throws -> [OutboxMessage] {
        var messages: [OutboxMessage] = []
        let decoded = rows.decode((Int64, String, String, String, Data, String, Int, Double, String?, Double).self)
        for try await (id, key, sender, recipient, message, state, attempts, nextAttempt, lastResult, createdAt) in decoded {
            messages.append(OutboxMessage(
                id: id, draft: OutboxDraft(key: key, sender: sender, recipient: recipient, message: message),
                state: OutboxState(rawValue: state) ?? .pending, attempts: attempts,
                nextAttempt: Date(timeIntervalSince1970: nextAttempt), lastResult: lastResult,
                createdAt: Date(timeIntervalSince1970: createdAt)))
        }
        return messages
    }
}
