import ArgumentParser
import Foundation
import Mailer
import PaperboyCore

/// `paperboy outbox`: the mail waiting to go out, and sending it now.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Send the mail that is due, or show what the outbox holds.",
        subcommands: [OutboxSendCommand.self, OutboxStatusCommand.self])
}

/// `paperboy outbox send`: one delivery run now, as `paperboy serve` makes every
/// `mail.send_every_seconds`. Exits 0 also when another sender is working the outbox (that
/// one sends the mail); a run stopped by the mail server is an error, so scripts notice.
struct OutboxSendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send the mail that is due now, over the configured SMTP server or sendmail.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Send at most this many messages.")
    var limit: Int?

    @Flag(help: "Print the run's report as JSON.")
    var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    func run() async throws {
        let store = try await global.openStore()
        let transport = try MailSettings(try global.configuration()).transport()
        let report = try await OutboxSender(store: store, transport: transport).run(limit: limit ?? .max)
        print(json ? JSONOutput.line(report) : report.description)
        if report.interruption != nil { throw ExitCode(3) }
    }
}

/// `paperboy outbox status`: how many messages are pending, sent and dropped, and the latest
/// failures with the server's words.
struct OutboxStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Count the outbox's messages by state and show the latest failures.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many of the latest failures to show.")
    var failures = 10

    @Flag(help: "Print the status as JSON.")
    var json = false

    private struct Status: Encodable {
        struct Failure: Encodable {
            var key: String
            var recipient: String
            var state: String
            var attempts: Int
            var reason: String
            /// When a deferred message goes again; nil for a dropped one.
            var retryAt: Date?
        }

        var pending: Int
        var sent: Int
        var dropped: Int
        var failures: [Failure]
    }

    func run() async throws {
        let store = try await global.openStore()
        let counts = try await store.outboxCounts()
        let failed = try await store.failedMessages(limit: max(0, failures)).map { message in
            Status.Failure(key: message.draft.key, recipient: message.draft.recipient, state: message.state.rawValue,
                           attempts: message.attempts, reason: message.lastResult ?? "",
                           retryAt: message.state == .pending ? message.nextAttempt : nil)
        }
        let status = Status(pending: counts.pending, sent: counts.sent, dropped: counts.dropped, failures: failed)
        if json {
            print(JSONOutput.line(status))
            return
        }
        var lines = ["\(counts.pending.formatted) pending, \(counts.sent.formatted) sent, \(counts.dropped.formatted) dropped"]
        if !failed.isEmpty { lines.append("latest failures:") }
        for failure in failed {
            let when = failure.retryAt.map { "deferred, again at \($0.formatted(.iso8601))" } ?? "dropped"
            lines.append("  \(failure.key) to \(failure.recipient) (\(when), \(failure.attempts) attempts): \(failure.reason)")
        }
        print(lines.joined(separator: "\n"))
    }
}
