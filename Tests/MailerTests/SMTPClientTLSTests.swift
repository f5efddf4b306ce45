import Foundation
import Mailer
import Testing

/// STARTTLS and AUTH against a real server (aiosmtpd) with a self-signed certificate for
/// localhost and 127.0.0.1, which the client trusts through `.certificateFile`.
struct SMTPClientTLSTests {
    private static let alice = SMTPConfiguration.Credentials(username: "alice", password: "correct horse battery staple")

    private func tlsServer(mechanisms: [String] = ["PLAIN", "LOGIN"]) -> MailServer.Options {
        var options = MailServer.Options()
        options.startTLS = true
        options.credentials = (Self.alice.username, Self.alice.password)
        options.mechanisms = mechanisms
        return options
    }

    @Test func upgradesWithSTARTTLSThenLogsInWithPlain() async throws {
        try await MailServer.with(tlsServer()) { server in
            let client = try await SMTPClient.connect(server.configuration(host: "localhost", credentials: Self.alice))
            #expect(client.isEncrypted)
            #expect(!client.capabilities.supports("STARTTLS"), "the capabilities are those announced over TLS")
            #expect(client.capabilities.authenticationMechanisms == ["PLAIN", "LOGIN"])
            #expect(try await client.send(SampleMail.digest()).isAccepted)
            await client.quit()
            let mail = try #require(try server.received().first)
            #expect(mail.envelope.tls)
            #expect(mail.envelope.authMechanism == "PLAIN")
            #expect(mail.envelope.bufferedAfterMail.hasPrefix("RCPT TO:"), "pipelining goes on over TLS")
            #expect(mail.envelope.parsed.defects == [])
        }
    }

    @Test func logsInWithLoginWhenPlainIsNotOffered() async throws {
        try await MailServer.with(tlsServer(mechanisms: ["LOGIN"])) { server in
            let outcomes = try await SMTPTransport(configuration: server.configuration(credentials: Self.alice)).send([SampleMail.digest()])
            #expect(outcomes.first?.isAccepted == true)
            #expect(try server.received().first?.envelope.authMechanism == "LOGIN")
        }
    }

    @Test func aWrongPasswordFailsWithoutRevealingIt() async throws {
        try await MailServer.with(tlsServer()) { server in
            let wrong = SMTPConfiguration.Credentials(username: "alice", password: "Tr0ub4dor&3")
            let error = await #expect(throws: MailerError.self) {
                try await SMTPClient.connect(server.configuration(credentials: wrong))
            }
            #expect(error?.code == .authentication)
            #expect(error?.step == .authentication)
            #expect(error?.reply?.code == 535)
            #expect(error?.description.contains("alice") == true)
            #expect(error?.description.contains("Tr0ub4dor") == false)
            #expect("\(wrong)".contains("Tr0ub4dor") == false && String(reflecting: wrong).contains("Tr0ub4dor") == false)
        }
    }

    @Test func anUntrustedCertificateFailsTheHandshake() async throws {
        try await MailServer.with(tlsServer()) { server in
            var configuration = server.configuration(host: "localhost", credentials: Self.alice)
            configuration.trust = .systemRoots
            let error = await #expect(throws: MailerError.self) { try await SMTPClient.connect(configuration) }
            #expect(error?.code == .tls)
            #expect(error?.step == .tlsHandshake)
            #expect(error?.description.contains("localhost:\(server.port)") == true)
            let received = try server.received()
            #expect(received.isEmpty)
        }
    }

    @Test func requiredSTARTTLSFailsWhenTheServerDoesNotOfferIt() async throws {
        try await MailServer.with { server in
            let error = await #expect(throws: MailerError.self) {
                try await SMTPClient.connect(server.configuration(startTLS: .required))
            }
            #expect(error?.code == .tls)
            #expect(error?.step == .startTLS)
        }
    }

    @Test func ifOfferedSendsInTheClearWhenTheServerDoesNotOfferIt() async throws {
        try await MailServer.with { server in
            let client = try await SMTPClient.connect(server.configuration(startTLS: .ifOffered))
            #expect(!client.isEncrypted)
            #expect(try await client.send(SampleMail.digest()).isAccepted)
            await client.quit()
        }
    }

    @Test func credentialsAreNeverSentInTheClearUnlessAllowed() async throws {
        var options = MailServer.Options()
        options.credentials = (Self.alice.username, Self.alice.password)
        options.authWithoutTLS = true
        try await MailServer.with(options) { server in
            let error = await #expect(throws: MailerError.self) {
                try await SMTPClient.connect(server.configuration(credentials: Self.alice))
            }
            #expect(error?.code == .authentication)
            #expect(error?.message.contains("not encrypted") == true)

            var allowed = server.configuration(credentials: Self.alice)
            allowed.allowsAuthenticationWithoutTLS = true
            let outcomes = try await SMTPTransport(configuration: allowed).send([SampleMail.digest()])
            #expect(outcomes.first?.isAccepted == true)
            #expect(try server.received().first?.envelope.tls == false)
        }
    }
}

/// TLS from the first byte (port 465 style, `mail.tls = "tls"`).
struct SMTPClientImplicitTLSTests {
    private var options: MailServer.Options {
        var options = MailServer.Options()
        options.implicitTLS = true
        return options
    }

    @Test func greetsAndSendsOverTLSFromTheFirstByte() async throws {
        try await MailServer.with(options) { server in
            let client = try await SMTPClient.connect(server.configuration(implicitTLS: true, host: "localhost"))
            #expect(client.isEncrypted)
            #expect(try await client.send(SampleMail.digest()).isAccepted)
            await client.quit()
            let mail = try #require(try server.received().first)
            #expect(mail.envelope.tls)
            #expect(mail.raw == (try SampleMail.digest()).rendered())
        }
    }

    @Test func anUntrustedCertificateFailsAsATLSError() async throws {
        try await MailServer.with(options) { server in
            var configuration = server.configuration(implicitTLS: true, host: "localhost")
            configuration.trust = .systemRoots
            let error = await #expect(throws: MailerError.self) { try await SMTPClient.connect(configuration) }
            #expect(error?.code == .tls, "\(String(describing: error))")
        }
    }
}
