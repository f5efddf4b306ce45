import Foundation

/// A message composed and ready to send, before the outbox holds it.
///
/// Mail is recorded whole (the exact bytes to send, with its Message-ID) before any
/// delivery is tried, so a retry or a restart sends what was composed, never a second,
/// different composition of the same digest.
public struct OutboxDraft: Sendable, Hashable {
    /// What makes this message one of a kind, e.g. `digest:<subscription>:2026-11-26`: the
    /// outbox keeps one message per key, so composing a digest twice (a run restarted after
    /// a crash) records it once.
    public var key: String
    /// The envelope sender (`MAIL FROM`).
    public var sender: String
    /// The envelope recipient (`RCPT TO`).
    public var recipient: String
    /// The whole RFC 5322 message, headers and body, CRLF line endings.
    public var message: Data

    public init(key: String, sender: String, recipient: String, message: Data) {
        self.key = key
        self.sender = sender
        self.recipient = recipient
        self.message = message
    }
}

/// Where a recorded message stands.
public enum OutboxState: String, Sendable, Codable {
    /// Not delivered yet: due at `nextAttempt`.
    case pending
    /// The server answered 250 to its data.
    case sent
    /// Given up on, with the reason (a permanent 5xx, or too many temporary failures).
    case dropped
}

/// A message in the outbox.
public struct OutboxMessage: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var draft: OutboxDraft
    public var state: OutboxState
    /// Delivery attempts that ended, each with a server answer or a failure.
    public var attempts: Int
    public var nextAttempt: Date
    /// The last failure's reason, or the final reply once sent.
    public var lastResult: String?
    public var createdAt: Date

    public init(id: Int64, draft: OutboxDraft, state: OutboxState, attempts: Int, nextAttempt: Date,
                lastResult: String?, createdAt: Date) {
        self.id = id
        self.draft = draft
        self.state = state
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.lastResult = lastResult
        self.createdAt = createdAt
    }
}

/// How many messages the outbox holds in each state.
public struct OutboxCounts: Sendable, Hashable, Codable {
    public var pending = 0
    public var sent = 0
    public var dropped = 0

    public init(pending: Int = 0, sent: Int = 0, dropped: Int = 0) {
        self.pending = pending
        self.sent = sent
        self.dropped = dropped
    }
}

/// The outbox: mail recorded before it is sent and marked after, so delivery survives
/// crashes. A message goes `pending` → `sent` (the server's 250), or `pending` → `pending`
/// later (a 4xx: retried with backoff), or `pending` → `dropped` (a 5xx, with its reason).
/// Nothing leaves `sent` or `dropped`. One sender works an outbox at a time (the store's
/// `outbox` lock), so a pending message is never handed to two senders at once.
public protocol OutboxStore: Sendable {
    /// Records each draft whose key the outbox does not hold yet, due at once; returns how
    /// many were new. A draft whose key is held (whatever its state) changes nothing.
    func enqueue(_ drafts: [OutboxDraft], at now: Date) async throws -> Int
    /// Pending messages due at `now`, oldest due first, at most `limit`.
    func dueMessages(at now: Date, limit: Int) async throws -> [OutboxMessage]
    /// The server accepted the message.
    func markSent(_ id: Int64, reply: String, at now: Date) async throws
    /// A temporary failure: counted, and due again at `retryAt`.
    func markDeferred(_ id: Int64, reason: String, retryAt: Date) async throws
    /// A permanent failure: never tried again.
    func markDropped(_ id: Int64, reason: String) async throws
    /// The message recorded under `key`, in whatever state.
    func outboxMessage(key: String) async throws -> OutboxMessage?
    func outboxCounts() async throws -> OutboxCounts
    /// Messages whose last attempt failed, deferred or dropped, most recent first (dropped
    /// ones by when they were dropped, deferred ones by when they are due again), at most
    /// `limit`: what an operator looks at when mail does not arrive.
    func failedMessages(limit: Int) async throws -> [OutboxMessage]
}
