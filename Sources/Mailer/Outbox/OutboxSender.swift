import Foundation
import Logging
import PaperboyCore

/// Works the outbox: sends the messages that are due, one connection per batch, and records
/// each one's outcome the moment the server gives it (one commit per message).
///
/// What a crash can do, and why it is harmless:
/// - Before a message's data is complete (composed, recorded, even half sent): the server has
///   not accepted it, the outbox still holds it as pending, and the next run sends it.
///   Nothing is skipped.
/// - After the server's 250, before `markSent` commits: the message was delivered but is still
///   pending, so the next run sends it again, under the same Message-ID, which lets a mail
///   system or a reader's client drop the duplicate. The window is kept as small as it can be:
///   the mark is a single-row update made as soon as the reply is parsed, before the next
///   message is started, so it spans the server's reply on its way back and one local write,
///   never another round trip. It is not nothing: `reliability/crash_consistency.py` kills
///   a sender to a local server 100 times and about one kill in three lands in it (a third of
///   a message's 2.6 ms). No SMTP client can close it: the 250 and the local commit cannot
///   be one atomic step, so delivery is at least once, never lost.
///
/// Outcomes: a 2xx marks the message sent; a 4xx, or a connection that fails, defers it with
/// exponential backoff (`OutboxRetryPolicy`) until it has been tried too often or too long,
/// then drops it; a 5xx drops it at once with the server's reply. A message whose recorded
/// envelope is not a plain address is dropped with the reason, never handed to a transport.
///
/// A run holds the store's `outbox` lock, so two senders, in one process or two, never work
/// one outbox at once: the second finds it busy and sends nothing.
public struct OutboxSender: Sendable {
    public static let lockName = "outbox"

    let store: any PaperStore & OutboxStore
    let transport: any MailTransport
    /// Messages read and handed to one connection at a time.
    public var batchSize: Int
    public var retry: OutboxRetryPolicy
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(store: any PaperStore & OutboxStore, transport: any MailTransport, batchSize: Int = 100,
                retry: OutboxRetryPolicy = OutboxRetryPolicy(), logger: Logger = Logger(label: "paperboy.outbox"),
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.transport = transport
        self.batchSize = max(1, batchSize)
        self.retry = retry
        self.logger = logger
        self.clock = clock
    }

    /// Sends what is due now, at most `limit` messages, and says what became of them. Sends
    /// nothing, with a report marked `busy`, while another sender holds the outbox.
    ///
    /// - Throws: the store's error when an outcome cannot be recorded; the message in hand then
    ///   stays pending and goes again on the next run.
    public func run(limit: Int = .max) async throws -> OutboxRunReport {
        let started = ContinuousClock.now
        var report = try await store.whileHolding(Self.lockName) { try await sendDue(limit: max(0, limit)) }
            ?? OutboxRunReport(busy: true)
        report.seconds = started.duration(to: .now).seconds
        if report.busy {
            logger.info("another sender is working the outbox")
        } else if report.handled > 0 || report.interruption != nil {
            logger.notice("outbox run", metadata: report.metadata)
        }
        return report
    }

    private func sendDue(limit: Int) async throws -> OutboxRunReport {
        var report = OutboxRunReport()
        // Messages deferred in this run are due later, so each round reads others; `tried` only
        // guards against a clock that does not move.
        var tried = Set<Int64>()
        while report.handled < limit {
            let due = try await store.dueMessages(at: clock(), limit: min(batchSize, limit - report.handled))
                .filter { !tried.contains($0.id) }
            guard !due.isEmpty else { break }
            tried.formUnion(due.map(\.id))

            var batch: [(message: OutboxMessage, mail: OutgoingMail)] = []
            for message in due {
                do {
                    batch.append((message, try OutgoingMail(message.draft)))
                } catch {
                    try await record(.refused("cannot be sent as recorded: \(error)"), for: message, in: &report)
                }
            }
            var answered = Set<Int>()
            do {
                try await transport.deliver(batch.map(\.mail)) { index, outcome in
                    answered.insert(index)
                    try await record(Verdict(outcome), for: batch[index].message, in: &report)
                }
            } catch let error as MailerError {
                // The transport failed: the messages it did not answer go again later, the rest of
                // the outbox waits for the next run rather than meeting the same failure.
                logger.warning("cannot hand mail to the mail system", metadata: ["error": "\(error)"])
                report.interruption = error.description
                for (index, entry) in batch.enumerated() where !answered.contains(index) {
                    try await record(.retry(error.description), for: entry.message, in: &report)
                }
                break
            }
        }
        return report
    }

    /// What an attempt came to, as the outbox records it.
    private enum Verdict {
        case sent(String)
        case retry(String)
        case refused(String)

        init(_ outcome: DeliveryOutcome) {
            switch outcome {
            case .accepted(let reply): self = .sent(reply.description)
            case .temporaryFailure(let reply): self = .retry(reply.description)
            case .permanentFailure(let reply): self = .refused(reply.description)
            }
        }
    }

    private func record(_ verdict: Verdict, for message: OutboxMessage, in report: inout OutboxRunReport) async throws {
        let now = clock()
        switch verdict {
        case .sent(let reply):
            try await store.markSent(message.id, reply: reply, at: now)
            report.sent += 1
        case .refused(let reason):
            try await store.markDropped(message.id, reason: reason)
            report.recordDrop(message, reason: reason)
            logger.warning("dropped a message", metadata: ["key": "\(message.draft.key)", "reason": "\(reason)"])
        case .retry(let reason):
            let attempts = message.attempts + 1
            if let retryAt = retry.nextAttempt(after: attempts, firstRecorded: message.createdAt, now: now) {
                try await store.markDeferred(message.id, reason: reason, retryAt: retryAt)
                report.deferred += 1
                logger.info("deferred a message", metadata: ["key": "\(message.draft.key)", "reason": "\(reason)", "retry at": "\(retryAt)"])
            } else {
                let given = "gave up after \(attempts) attempts: \(reason)"
                try await store.markDropped(message.id, reason: given)
                report.recordDrop(message, reason: given)
                logger.warning("dropped a message", metadata: ["key": "\(message.draft.key)", "reason": "\(given)"])
            }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
