import Foundation
import GRDB
import PaperboyCore

/// The mail outbox in `outbox` (migration `v6 outbox`); see `OutboxStore`.
///
/// Each change is one statement, so each is atomic; the state changes apply to pending
/// messages only, so a sent or dropped message can never be sent again by a late update.
extension PaperDatabase: OutboxStore {
    public func enqueue(_ drafts: [OutboxDraft], at now: Date) async throws -> Int {
        try await access("cannot record \(drafts.count) messages in the outbox (none was recorded)") { writer in
            try await writer.write { db in
                var added = 0
                for draft in drafts {
                    try db.execute(sql: """
                        INSERT INTO outbox (key, sender, recipient, message, state, next_attempt, created_at)
                        VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (key) DO NOTHING
                        """, arguments: [draft.key, draft.sender, draft.recipient, draft.message,
                                         now.timeIntervalSince1970, now.timeIntervalSince1970])
                    added += db.changesCount
                }
                return added
            }
        }
    }

    public func dueMessages(at now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await access("cannot read the outbox") { writer in
            try await writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM outbox WHERE state = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?
                    """, arguments: [now.timeIntervalSince1970, limit]).map(Self.outboxMessage)
            }
        }
    }

    public func markSent(_ id: Int64, reply: String, at now: Date) async throws {
        try await finish(id, "sent", result: reply, at: now, what: "mark outbox message \(id) sent")
    }

    public func markDropped(_ id: Int64, reason: String) async throws {
        try await finish(id, "dropped", result: reason, at: Date(), what: "drop outbox message \(id)")
    }

    public func markDeferred(_ id: Int64, reason: String, retryAt: Date) async throws {
        try await access("cannot defer outbox message \(id)") { writer in
            try await writer.write { db in
                try db.execute(sql: """
                    UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_result = ?
                    WHERE id = ? AND state = 'pending'
                    """, arguments: [retryAt.timeIntervalSince1970, reason, id])
            }
        }
    }

    public func outboxMessage(key: String) async throws -> OutboxMessage? {
        try await access("cannot read the outbox") { writer in
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE key = ?", arguments: [key]).map(Self.outboxMessage)
            }
        }
    }

    public func outboxCounts() async throws -> OutboxCounts {
        try await access("cannot count the outbox") { writer in
            try await writer.read { db in
                var counts = OutboxCounts()
                for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM outbox GROUP BY state") {
                    let n: Int = row["n"]
                    switch OutboxState(rawValue: row["state"]) {
                    case .pending: counts.pending = n
                    case .sent: counts.sent = n
                    case .dropped: counts.dropped = n
                    case nil: break
                    }
                }
                return counts
            }
        }
    }

    public func failedMessages(limit: Int) async throws -> [OutboxMessage] {
        try await access("cannot read the outbox") { writer in
            try await writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM outbox WHERE state != 'sent' AND last_result IS NOT NULL
                    ORDER BY coalesce(finished_at, next_attempt) DESC, id DESC LIMIT ?
                    """, arguments: [limit]).map(Self.outboxMessage)
            }
        }
    }

    /// Moves a pending message to `state` for good, counting the attempt that ended it.
    private func finish(_ id: Int64, _ state: String, result: String, at now: Date, what: String) async throws {
        try await access("cannot \(what)") { writer in
            try await writer.write { db in
                try db.execute(sql: """
                    UPDATE outbox SET state = ?, attempts = attempts + 1, last_result = ?, finished_at = ?
                    WHERE id = ? AND state = 'pending'
                    """, arguments: [state, result, now.timeIntervalSince1970, id])
            }
        }
    }

    private static func outboxMessage(_ row: Row) -> OutboxMessage {
        OutboxMessage(
            id: row["id"],
            draft: OutboxDraft(key: row["key"], sender: row["sender"], recipient: row["recipient"], message: row["message"]),
            state: OutboxState(rawValue: row["state"]) ?? .pending,
            attempts: row["attempts"],
            nextAttempt: Date(timeIntervalSince1970: row["next_attempt"]),
            lastResult: row["last_result"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }
}
