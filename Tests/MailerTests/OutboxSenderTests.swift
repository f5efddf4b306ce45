import Foundation
import Mailer
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// `OutboxSender` over a real SQLite outbox and a real SMTP server (aiosmtpd): what the server
/// received, and what the outbox recorded, after each kind of answer.
struct OutboxSenderTests {
    private func sender(_ store: PaperDatabase, _ server: MailServer, clock: TestClock, retry: OutboxRetryPolicy = OutboxRetryPolicy(),
                        batchSize: Int = 100) -> OutboxSender {
        OutboxSender(store: store, transport: SMTPTransport(configuration: server.configuration()), batchSize: batchSize,
                     retry: retry, clock: clock.read)
    }

    @Test func sendsTheRecordedBytesOnceAndMarksThemSent() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        try await MailServer.with { server in
            let clock = TestClock()
            let drafts = try (1...5).map { try OutboxMail.draft($0) }
            #expect(try await fixture.store.enqueue(drafts, at: clock.date) == 5)
            let report = try await sender(fixture.store, server, clock: clock, batchSize: 2).run()
            #expect(report.sent == 5 && report.deferred == 0 && report.dropped.isEmpty && !report.busy)
            let received = try server.received()
            #expect(received.map(\.raw) == drafts.map { Array($0.message) }, "each message arrives byte for byte as recorded")
            #expect(received.map(\.envelope.rcptTos) == drafts.map { [$0.recipient] })
            #expect(received.allSatisfy { $0.envelope.parsed.defects.isEmpty })
            #expect(try await fixture.store.outboxCounts() == OutboxCounts(sent: 5))
            let first = try #require(try await fixture.store.outboxMessage(key: OutboxMail.key(1)))
            #expect(first.lastResult?.hasPrefix("250 2.0.0") == true && first.attempts == 1)

            let again = try await sender(fixture.store, server, clock: clock).run()
            #expect(again.handled == 0)
            #expect(try server.received().count == 5, "a second run sends nothing twice")
        }
    }

    /// (a) A 451 to the data defers the message; it goes again once the backoff has passed and
    /// arrives exactly once.
    @Test func temporaryFailureIsRetriedAfterTheBackoffAndArrivesOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        try await MailServer.with { server in
            let clock = TestClock()
            _ = try await fixture.store.enqueue([try OutboxMail.draft(1, to: "defer-once@example.org"), try OutboxMail.draft(2)], at: clock.date)
            let first = try await sender(fixture.store, server, clock: clock).run()
            #expect(first.sent == 1 && first.deferred == 1)
            let deferred = try #require(try await fixture.store.outboxMessage(key: OutboxMail.key(1)))
            #expect(deferred.state == .pending && deferred.attempts == 1)
            #expect(deferred.lastResult?.hasPrefix("451 4.3.0") == true, "\(deferred.lastResult ?? "")")
            #expect(abs(deferred.nextAttempt.timeIntervalSince(clock.date) - 300) < 0.001, "first retry after 5 minutes")

            clock.advance(by: 299)
            #expect(try await sender(fixture.store, server, clock: clock).run().handled == 0, "not due before the backoff has passed")
            clock.advance(by: 1)
            let second = try await sender(fixture.store, server, clock: clock).run()
            #expect(second.sent == 1 && second.deferred == 0)
            let sent = try #require(try await fixture.store.outboxMessage(key: OutboxMail.key(1)))
            #expect(sent.state == .sent && sent.attempts == 2)
            let ids = try server.receivedMessageIDs()
            #expect(ids.filter { $0 == OutboxMail.messageID(1) }.count == 1)
            #expect(ids.sorted() == [OutboxMail.messageID(1), OutboxMail.messageID(2)].sorted())
        }
    }

    /// (b) A 5xx drops the message with the server's reply, and no later run tries it again.
    @Test func permanentFailureIsDroppedWithTheRepliesWordsAndNeverRetried() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        try await MailServer.with { server in
            let clock = TestClock()
            _ = try await fixture.store.enqueue([try OutboxMail.draft(1, to: "rejected@example.org")], at: clock.date)
            let report = try await sender(fixture.store, server, clock: clock).run()
            #expect(report.dropped.map(\.key) == [OutboxMail.key(1)])
            #expect(report.dropped.first?.reason == "550 5.1.1 No such user here")
            let dropped = try #require(try await fixture.store.outboxMessage(key: OutboxMail.key(1)))
            #expect(dropped.state == .dropped && dropped.lastResult == "550 5.1.1 No such user here")
            #expect(try await fixture.store.failedMessages(limit: 5).map(\.draft.key) == [OutboxMail.key(1)])

            clock.advance(by: 30 * 86_400)
            #expect(try await sender(fixture.store, server, clock: clock).run().handled == 0)
            #expect(try server.received().isEmpty)
        }
    }

    /// A mailbox that stays unavailable is tried with doubling waits and given up on at last.
    @Test func repeatedTemporaryFailuresBackOffThenGiveUp() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        try await MailServer.with { server in
            let clock = TestClock()
            let retry = OutboxRetryPolicy(first: 60, ceiling: 240, maxAttempts: 4)
            _ = try await fixture.store.enqueue([try OutboxMail.draft(1, to: "temporary@example.org")], at: clock.date)
            var waits: [TimeInterval] = []
            for _ in 1...3 {
                #expect(try await sender(fixture.store, server, clock: clock, retry: retry).run().deferred == 1)
                let message = try #require(try await fixture.store.outboxMessage(key: OutboxMail.key(1)))
                waits.append(message.nextAttempt.timeIntervalSince(clock.date).rounded())  // stored to the microsecond
                clock.advance(by: waits.last ?? 0)
            }
            #expect(waits == [60, 120, 240])
            let last = try await sender(fixture.store, server, clock: clock, retry: retry).run()
            #expect(last.dropped.first?.reason == "gave up after 4 attempts: 450 4.2.1 Mailbox temporarily unavailable")
            #expect(try await fixture.store.outboxCounts() == OutboxCounts(dropped: 1))
        }
    }

    /// A server that cannot be reached defers the batch, naming the server, and the run stops.
    @Test func unreachableServerDefersTheBatch() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        let server = try await MailServer.start(MailServer.Options())
        let configuration = server.configuration()
        server.stop()
        let clock = TestClock()
        _ = try await fixture.store.enqueue(try (1...3).map { try OutboxMail.draft($0) }, at: clock.date)
        let report = try await OutboxSender(store: fixture.store, transport: SMTPTransport(configuration: configuration), batchSize: 2,
                                            clock: clock.read).run()
        #expect(report.deferred == 2 && report.sent == 0, "the batch in hand is deferred, the rest waits untouched")
        #expect(report.interruption?.contains("127.0.0.1:\(configuration.port)") == true)
        #expect(try await fixture.store.dueMessages(at: clock.date, limit: 10).map(\.draft.key) == [OutboxMail.key(3)])
    }

    /// A recorded envelope that would add a recipient, or a body that would end the data early
    /// and smuggle a second message, reaches no one it should not.
    @Test func recordedMailCannotInjectCommandsOrMessages() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        try await MailServer.with { server in
            let clock = TestClock()
            let injectedRecipient = OutboxDraft(key: "injected-recipient", sender: "digest@paperboy.example",
                                                recipient: "reader@example.org>\r\nRCPT TO:<intruder@example.org",
                                                message: Data("Subject: hi\r\n\r\nhello\r\n".utf8))
            let smuggling = OutboxDraft(
                key: "smuggling", sender: "digest@paperboy.example", recipient: "reader@example.org",
                message: Data("Subject: hi\r\n\r\nhello\n.\nMAIL FROM:<digest@paperboy.example>\nRCPT TO:<intruder@example.org>\nDATA\nSubject: smuggled\n\nx\r\n.\r\n".utf8))
            _ = try await fixture.store.enqueue([injectedRecipient, smuggling], at: clock.date)
            let report = try await OutboxSender(store: fixture.store, transport: SMTPTransport(configuration: server.configuration()),
                                                clock: clock.read).run()
            #expect(report.dropped.map(\.key) == ["injected-recipient"])
            #expect(report.dropped.first?.reason.contains("recipient address") == true, "\(report.dropped)")
            #expect(report.sent == 1)
            let received = try server.received()
            #expect(received.count == 1)
            #expect(received.flatMap(\.envelope.rcptTos) == ["reader@example.org"])
            #expect(received.first.map { String(decoding: $0.raw, as: UTF8.self).contains("\r\n.\r\nMAIL FROM:") } == true,
                    "the smuggled lines arrive as the message's own text")
        }
    }

    /// (e) Two senders on one store at once, as two processes would open it: the outbox lock lets
    /// one work it; every message is received once.
    @Test func twoSendersAtOnceSendEachMessageOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        var options = MailServer.Options()
        options.delay = 0.01
        try await MailServer.with(options) { server in
            let clock = TestClock()
            _ = try await fixture.store.enqueue(try (1...40).map { try OutboxMail.draft($0) }, at: clock.date)
            let one = sender(fixture.store, server, clock: clock, batchSize: 10)
            let two = sender(try fixture.reopen(), server, clock: clock, batchSize: 10)
            async let first = one.run()
            async let second = two.run()
            let reports = try await [first, second]
            // One finds the outbox busy (or, had the other finished first, nothing left to send).
            #expect(reports.filter { $0.busy || $0.handled == 0 }.count == 1, "\(reports)")
            #expect(reports.map(\.sent).reduce(0, +) == 40)
            let ids = try server.receivedMessageIDs()
            #expect(ids.count == 40 && Set(ids).count == 40)
            #expect(try await fixture.store.outboxCounts() == OutboxCounts(sent: 40))
        }
    }

    @Test func backoffDoublesToItsCeilingAndEndsByAttemptsOrAge() {
        let policy = OutboxRetryPolicy()
        #expect((1...9).map { policy.delay(after: $0) / 60 } == [5, 10, 20, 40, 80, 160, 320, 360, 360])
        let recorded = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(policy.nextAttempt(after: 1, firstRecorded: recorded, now: recorded) == recorded + 300)
        #expect(policy.nextAttempt(after: 10, firstRecorded: recorded, now: recorded + 3_600) == nil, "the tenth failure is the last")
        #expect(policy.nextAttempt(after: 3, firstRecorded: recorded, now: recorded + 3 * 86_400 - 600) == nil,
                "a retry later than three days after recording is not made")
        #expect(policy.nextAttempt(after: 3, firstRecorded: recorded, now: recorded + 3 * 86_400 - 1_200) != nil)
    }
}
