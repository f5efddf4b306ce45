import Foundation
import PaperboyCore
import Testing

/// What every outbox does, written once and run against each store: one message per key,
/// due messages in order, deferral, and final states that stay final.
public enum OutboxStoreBehaviour {
    public static let all: [(name: String, check: @Sendable (any OutboxStore) async throws -> Void)] = [
        ("a key is recorded once", aKeyIsRecordedOnce),
        ("due messages come oldest first and deferral waits", dueMessagesComeInOrderAndDeferralWaits),
        ("sent and dropped are final", sentAndDroppedAreFinal),
        ("failed messages come latest first", failedMessagesComeLatestFirst),
    ]

    public static func run(_ name: String, on store: any OutboxStore) async throws {
        guard let behaviour = all.first(where: { $0.name == name }) else {
            Issue.record("no outbox behaviour named \(name)")
            return
        }
        try await behaviour.check(store)
    }

    public static let start = Date(timeIntervalSince1970: 1_790_000_000)

    public static func draft(_ key: String, to recipient: String = "reader@example.org") -> OutboxDraft {
        OutboxDraft(key: key, sender: "digest@paperboy.example", recipient: recipient,
                    message: Data("Subject: \(key)\r\n\r\nBody of \(key), caf\u{E9}\r\n".utf8))
    }

    public static func aKeyIsRecordedOnce(_ store: any OutboxStore) async throws {
        #expect(try await store.enqueue([draft("digest:1:2026-11-26"), draft("digest:2:2026-11-26")], at: start) == 2)
        // Composed again after a restart: the same keys change nothing, a new one is added.
        var recomposed = draft("digest:1:2026-11-26")
        recomposed.message = Data("a different composition".utf8)
        #expect(try await store.enqueue([recomposed, draft("digest:3:2026-11-26")], at: start + 60) == 1)
        #expect(try await store.outboxCounts() == OutboxCounts(pending: 3))
        let first = try #require(try await store.outboxMessage(key: "digest:1:2026-11-26"))
        #expect(first.draft == draft("digest:1:2026-11-26"))
        #expect(first.state == .pending && first.attempts == 0 && first.nextAttempt == start)
    }

    public static func dueMessagesComeInOrderAndDeferralWaits(_ store: any OutboxStore) async throws {
        _ = try await store.enqueue([draft("a")], at: start)
        _ = try await store.enqueue([draft("b")], at: start + 1)
        #expect(try await store.dueMessages(at: start - 1, limit: 10).isEmpty)
        #expect(try await store.dueMessages(at: start + 1, limit: 10).map(\.draft.key) == ["a", "b"])
        #expect(try await store.dueMessages(at: start + 1, limit: 1).map(\.draft.key) == ["a"])

        let a = try #require(try await store.outboxMessage(key: "a"))
        try await store.markDeferred(a.id, reason: "451 try again later", retryAt: start + 600)
        #expect(try await store.dueMessages(at: start + 599, limit: 10).map(\.draft.key) == ["b"])
        #expect(try await store.dueMessages(at: start + 600, limit: 10).map(\.draft.key) == ["b", "a"])
        let deferred = try #require(try await store.outboxMessage(key: "a"))
        #expect(deferred.state == .pending && deferred.attempts == 1 && deferred.lastResult == "451 try again later")
    }

    public static func sentAndDroppedAreFinal(_ store: any OutboxStore) async throws {
        _ = try await store.enqueue([draft("sent"), draft("dropped")], at: start)
        let sent = try #require(try await store.outboxMessage(key: "sent"))
        let dropped = try #require(try await store.outboxMessage(key: "dropped"))
        try await store.markSent(sent.id, reply: "250 2.0.0 Ok: queued", at: start + 1)
        try await store.markDropped(dropped.id, reason: "550 5.1.1 no such user")
        #expect(try await store.dueMessages(at: start + 10_000, limit: 10).isEmpty)
        #expect(try await store.outboxCounts() == OutboxCounts(sent: 1, dropped: 1))

        // Late updates and a recomposition leave them as they are.
        try await store.markDeferred(sent.id, reason: "421 late", retryAt: start)
        try await store.markSent(dropped.id, reply: "250 late", at: start + 2)
        #expect(try await store.enqueue([draft("sent"), draft("dropped")], at: start + 3) == 0)
        let final = try #require(try await store.outboxMessage(key: "sent"))
        #expect(final.state == .sent && final.attempts == 1 && final.lastResult == "250 2.0.0 Ok: queued")
        let gone = try #require(try await store.outboxMessage(key: "dropped"))
        #expect(gone.state == .dropped && gone.lastResult == "550 5.1.1 no such user")
    }

    public static func failedMessagesComeLatestFirst(_ store: any OutboxStore) async throws {
        _ = try await store.enqueue([draft("fine"), draft("sent"), draft("deferred"), draft("dropped")], at: start)
        let sent = try #require(try await store.outboxMessage(key: "sent"))
        let deferred = try #require(try await store.outboxMessage(key: "deferred"))
        let dropped = try #require(try await store.outboxMessage(key: "dropped"))
        #expect(try await store.failedMessages(limit: 10).isEmpty)
        try await store.markSent(sent.id, reply: "250 ok", at: start + 1)
        try await store.markDeferred(deferred.id, reason: "451 4.3.0 try later", retryAt: start + 300)
        try await store.markDropped(dropped.id, reason: "550 5.1.1 no such user")
        // Dropped now (the wall clock, after `start + 300`), so it comes first.
        let failed = try await store.failedMessages(limit: 10)
        #expect(failed.map(\.draft.key) == ["dropped", "deferred"])
        #expect(failed.map(\.lastResult) == ["550 5.1.1 no such user", "451 4.3.0 try later"])
        #expect(try await store.failedMessages(limit: 1).map(\.draft.key) == ["dropped"])
    }
}
