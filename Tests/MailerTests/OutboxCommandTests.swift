import Foundation
import Mailer
import PaperboyCore
import PaperboyTesting
import Testing

/// `paperboy outbox send` and `paperboy outbox status`, the real binary against a real server.
struct OutboxCommandTests {
    @Test func sendReportsEachOutcomeAndStatusShowsTheFailure() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        _ = try await fixture.store.enqueue([try OutboxMail.draft(1), try OutboxMail.draft(2, to: "rejected@example.org"),
                                             try OutboxMail.draft(3)], at: Date())
        try await MailServer.with { server in
            let sent = try fixture.runner.run(["outbox", "send"], extraEnvironment: server.environment)
            #expect(sent.status == 0, "\(sent.stderr)")
            #expect(sent.stdout.hasPrefix("Sent 2, deferred 0, dropped 1"), "\(sent.stdout)")
            #expect(sent.stdout.contains("dropped \(OutboxMail.key(2)) to rejected@example.org: 550 5.1.1 No such user here"))
            #expect(try server.received().count == 2)
        }
        let status = try fixture.runner.run(["outbox", "status"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.hasPrefix("0 pending, 2 sent, 1 dropped\nlatest failures:\n"), "\(status.stdout)")
        #expect(status.stdout.contains("\(OutboxMail.key(2)) to rejected@example.org (dropped, 1 attempts): 550 5.1.1 No such user here"))

        let json = try fixture.runner.run(["outbox", "status", "--json"])
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(decoded?["sent"] as? Int == 2 && decoded?["dropped"] as? Int == 1 && decoded?["pending"] as? Int == 0)
        #expect((decoded?["failures"] as? [[String: Any]])?.first?["reason"] as? String == "550 5.1.1 No such user here")
    }

    @Test func sendWithoutMailSettingsNamesTheKeys() throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        let result = try fixture.runner.run(["outbox", "send"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("mail.smtp_host") && result.stderr.contains("mail.sendmail"), "\(result.stderr)")
    }

    @Test func anUnknownEncryptionIsRefusedNamingTheKey() throws {
        let fixture = try OutboxFixture()
        defer { fixture.directory.remove() }
        let result = try fixture.runner.run(["outbox", "send"], extraEnvironment: [
            "PAPERBOY_MAIL_SMTP_HOST": "127.0.0.1", "PAPERBOY_MAIL_TLS": "ssl",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("PAPERBOY_MAIL_TLS") || result.stderr.contains("mail.tls"), "\(result.stderr)")
        #expect(result.stderr.contains("must be starttls, tls or none"), "\(result.stderr)")
    }
}
