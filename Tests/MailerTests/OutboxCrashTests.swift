import Foundation
import Mailer
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// The outbox's guarantees when the real `paperboy outbox send` dies by SIGKILL: recorded mail
/// is neither lost nor sent twice. Each test counts the Message-IDs the server received.
@Suite(.serialized)
struct OutboxCrashTests {
    /// Starts `paperboy outbox send` against `server` and returns the process.
    private func startSending(_ fixture: OutboxFixture, _ server: MailServer) throws -> Process {
        let (process, _, _) = try fixture.runner.start(["outbox", "send"], extraEnvironment: server.environment)
        return process
    }

    private func waitUntil(_ what: String, timeout: Duration = .seconds(120), _ condition: () throws -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw MailServerError(description: "timed out waiting until \(what)") }
            usleep(20_000)
        }
    }

    private func kill9(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// (c) Drafts recorded, the sender killed before it could send any (its server never greets),
    /// the digests composed again after the restart: each reader gets exactly one.
    @Test func crashBetweenComposeAndSendSendsEachOnceAfterRestart() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        let drafts = try (1...20).map { try OutboxMail.draft($0) }
        #expect(try await fixture.store.enqueue(drafts, at: Date()) == 20)

        var silent = MailServer.Options()
        silent.behaviour = "silent"
        try await MailServer.with(silent) { silentServer in
            let sending = try startSending(fixture, silentServer)
            usleep(1_500_000)  // started, store opened, waiting for a greeting that never comes
            #expect(sending.isRunning)
            kill9(sending)
        }
        #expect(try await fixture.store.outboxCounts() == OutboxCounts(pending: 20), "nothing was marked")
        // The restarted digest run composes the same digests again: nothing new is recorded.
        #expect(try await fixture.store.enqueue(drafts, at: Date()) == 0)

        try await MailServer.with { server in
            let result = try fixture.runner.run(["outbox", "send"], extraEnvironment: server.environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("Sent 20, deferred 0, dropped 0"), "\(result.stdout)")
            let ids = try server.receivedMessageIDs()
            #expect(ids.sorted() == (1...20).map(OutboxMail.messageID).sorted(), "each digest received exactly once")
        }
        #expect(try await fixture.store.outboxCounts() == OutboxCounts(sent: 20))
    }

    /// (d) A run of 200 killed while the server holds its reply to the 81st message's data: the
    /// 80 acknowledged are recorded sent, the 81st is not (the server never completed it), and
    /// the restarted run sends the other 120. Every message is received, none twice.
    ///
    /// The kill lands where the server has not yet said 250, the window a crash is most likely
    /// to hit on a slow server; the other window, between a 250 and its commit, spans one local
    /// write and is described on `OutboxSender`.
    @Test func killMidRunThenRestartReceivesEveryMessageOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        _ = try await fixture.store.enqueue(try (1...200).map { try OutboxMail.draft($0) }, at: Date())

        var slow = MailServer.Options()
        slow.delay = 0.005
        slow.holdAfter = 80
        try await MailServer.with(slow) { server in
            let sending = try startSending(fixture, server)
            try waitUntil("the server holds a reply") { server.isHolding || !sending.isRunning }
            #expect(sending.isRunning, "the sender was still waiting for the held reply")
            kill9(sending)

            #expect(try server.received().count == 80)
            let counts = try await fixture.store.outboxCounts()
            #expect(counts == OutboxCounts(pending: 120, sent: 80), "every 250 was recorded before the next message started")

            let result = try fixture.runner.run(["outbox", "send", "--json"], extraEnvironment: server.environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\"sent\":120"), "\(result.stdout)")
            let ids = try server.receivedMessageIDs()
            #expect(ids.count == 200, "received \(ids.count)")
            #expect(Set(ids) == Set((1...200).map(OutboxMail.messageID)), "every message received")
            #expect(Set(ids).count == ids.count, "none received twice")
        }
        #expect(try await fixture.store.outboxCounts() == OutboxCounts(sent: 200))
    }

    /// (e) Two `paperboy outbox send` processes started at once on one store: one works the
    /// outbox, the other finds it busy; every message is received once.
    @Test func twoProcessesAtOnceSendEachMessageOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        _ = try await fixture.store.enqueue(try (1...60).map { try OutboxMail.draft($0) }, at: Date())
        var slow = MailServer.Options()
        slow.delay = 0.01
        try await MailServer.with(slow) { server in
            let runner = fixture.runner, environment = server.environment
            async let first = Task.detached { try runner.run(["outbox", "send", "--json"], extraEnvironment: environment) }.value
            async let second = Task.detached { try runner.run(["outbox", "send", "--json"], extraEnvironment: environment) }.value
            let results = try await [first, second]
            #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
            let reports = try results.map { try JSONDecoder().decode(OutboxRunReport.self, from: Data($0.stdout.utf8)) }
            #expect(reports.map(\.sent).reduce(0, +) == 60, "\(reports)")
            #expect(reports.filter { $0.busy || $0.handled == 0 }.count == 1, "\(reports)")
            let ids = try server.receivedMessageIDs()
            #expect(ids.count == 60 && Set(ids).count == 60)
        }
    }
}
