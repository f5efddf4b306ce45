import Foundation
import Mailer
import Testing

/// `SMTPClient` and `SMTPTransport` against a real SMTP server (aiosmtpd), in the clear: what
/// arrives is read back by Python's `email` package, an independent MIME parser.
struct SMTPClientTests {
    private func unixLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    @Test func messageArrivesIntactAsMultipartAlternative() async throws {
        try await MailServer.with { server in
            let message = try SampleMail.digest()
            let outcomes = try await SMTPTransport(configuration: server.configuration()).send([message])
            guard case .accepted(.smtp(let reply)) = outcomes.first else {
                Issue.record("not accepted: \(outcomes)")
                return
            }
            #expect(reply.code == 250)
            let mail = try #require(try server.received().first, "nothing arrived; the server said: \(server.log)")
            #expect(mail.raw == message.rendered(), "the bytes arrived as rendered, dots unstuffed")
            let parsed = mail.envelope.parsed
            #expect(parsed.defects == [])
            #expect(parsed.contentType == "multipart/alternative")
            #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(parsed.parts.map(\.charset) == ["utf-8", "utf-8"])
            #expect(parsed.parts.map(\.transferEncoding) == ["quoted-printable", "quoted-printable"])
            #expect(unixLines(parsed.parts[0].body) == message.text)
            #expect(unixLines(parsed.parts[1].body) == message.html)
            #expect(mail.header("Subject") == [message.subject])
            #expect(parsed.from == [ReceivedMail.Address(displayName: "Paperboy Digest", addrSpec: "digest@paperboy.example")])
            #expect(parsed.to == [ReceivedMail.Address(displayName: "Boglárka Ecsedi", addrSpec: "boglarka@example.org")])
            #expect(mail.header("List-Unsubscribe") == [
                "<https://paperboy.example/unsubscribe?token=3f9c2a7e>, <mailto:unsubscribe+3f9c2a7e@paperboy.example?subject=unsubscribe>",
            ])
            #expect(mail.header("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"])
            #expect(mail.header("List-Id") == ["Paperboy daily digest <digest.paperboy.example>"])
            #expect(mail.header("Date") == ["Fri, 12 Jun 2026 07:30:00 +0000"])
            #expect(mail.envelope.mailFrom == "digest@paperboy.example")
            #expect(mail.envelope.rcptTos == ["boglarka@example.org"])
            let (lines, bare) = MailDecoding.lines(mail.raw)
            #expect(bare == 0, "every line ends in CRLF")
            #expect(lines.allSatisfy { $0.count <= 998 })
            #expect(lines.contains { $0.starts(with: ".This line starts with a dot".utf8) })
        }
    }

    @Test func eachMessageGetsItsOwnOutcomeInOneSession() async throws {
        try await MailServer.with { server in
            let recipients = ["first@example.org", "temporary@example.org", "rejected@example.org", "last@example.org"]
            let messages = try recipients.map { try SampleMail.digest(to: $0, displayName: nil) }
            let outcomes = try await SMTPTransport(configuration: server.configuration()).send(messages)
            try #require(outcomes.count == 4)
            #expect(outcomes[0].isAccepted && outcomes[3].isAccepted)
            guard case .temporaryFailure(.smtp(let temporary)) = outcomes[1], case .permanentFailure(.smtp(let permanent)) = outcomes[2] else {
                Issue.record("\(outcomes)")
                return
            }
            #expect(temporary.code == 450 && temporary.enhancedStatus == "4.2.1")
            #expect(permanent.code == 550 && permanent.enhancedStatus == "5.1.1")
            #expect(try server.received().map(\.envelope.rcptTos) == [["first@example.org"], ["last@example.org"]])
        }
    }

    @Test func pipelinesTheEnvelopeWhenTheServerOffersIt() async throws {
        try await MailServer.with { server in
            let client = try await SMTPClient.connect(server.configuration())
            #expect(client.capabilities.supports("PIPELINING"))
            for recipient in ["one@example.org", "two@example.org"] {
                #expect(try await client.send(SampleMail.digest(to: recipient)).isAccepted)
            }
            await client.quit()
            for mail in try server.received() {
                // When the server read MAIL FROM, RCPT TO and DATA had already arrived with it.
                #expect(mail.envelope.bufferedAfterMail == "RCPT TO:<\(mail.envelope.rcptTos[0])>\r\nDATA\r\n")
                #expect(mail.envelope.mailOptions.contains { $0.hasPrefix("SIZE=") })
            }
        }
    }

    @Test func waitsForEachReplyWithoutPipelining() async throws {
        var options = MailServer.Options()
        options.pipelining = false
        try await MailServer.with(options) { server in
            let outcomes = try await SMTPTransport(configuration: server.configuration()).send([SampleMail.digest()])
            #expect(outcomes.first?.isAccepted == true)
            #expect(try server.received().first?.envelope.bufferedAfterMail == "")
        }
    }

    @Test func fallsBackToHELOWhenEHLOIsRefused() async throws {
        var options = MailServer.Options()
        options.behaviour = "no-ehlo"
        try await MailServer.with(options) { server in
            let client = try await SMTPClient.connect(server.configuration())
            #expect(client.capabilities == .none)
            #expect(try await client.send(SampleMail.digest()).isAccepted)
            await client.quit()
            #expect(try server.received().first?.envelope.mailOptions == [])
        }
    }

    /// Values that try to start a header of their own: those with CR or LF are refused before
    /// anything is sent; Unicode line separators travel encoded, so the server sees exactly the
    /// headers and the one recipient the message was given.
    @Test func headerInjectionAttemptsAddNoHeaderAndNoRecipient() async throws {
        try await MailServer.with { server in
            let base = try SampleMail.digest()
            #expect(throws: MailerError.self) {
                try MailMessage(from: base.from, to: base.to, subject: "Digest\r\nBcc: victim@example.com", text: "", html: "",
                                date: base.date, messageID: base.messageID)
            }
            let sneaky = try MailMessage(
                from: MailAddress("digest@paperboy.example", displayName: "Paperboy\u{2028}Bcc: victim@example.com", field: "from"),
                to: MailAddress("reader@example.org", displayName: "Reader\u{2029}To: victim@example.com", field: "to"),
                subject: "Digest\u{2028}Bcc: victim@example.com\u{2029}\u{2028}<html>", text: "body", html: "<p>body</p>",
                date: base.date, messageID: base.messageID, list: base.list)
            let outcomes = try await SMTPTransport(configuration: server.configuration()).send([sneaky])
            #expect(outcomes.first?.isAccepted == true)
            let mail = try #require(try server.received().first)
            #expect(mail.headerNames == ["Date", "From", "To", "Subject", "Message-ID", "List-Id", "List-Unsubscribe",
                                         "List-Unsubscribe-Post", "MIME-Version", "Content-Type"])
            #expect(mail.envelope.rcptTos == ["reader@example.org"])
            #expect(mail.header("Subject") == [sneaky.subject])
            #expect(mail.envelope.parsed.to?.map(\.addrSpec) == ["reader@example.org"])
            #expect(mail.envelope.parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        }
    }

    @Test func aServerThatNeverGreetsTimesOutNamingTheStep() async throws {
        var options = MailServer.Options()
        options.behaviour = "silent"
        try await MailServer.with(options) { server in
            var configuration = server.configuration()
            configuration.timeouts.greeting = .milliseconds(300)
            let error = await #expect(throws: MailerError.self) { try await SMTPClient.connect(configuration) }
            #expect(error?.code == .timeout)
            #expect(error?.step == .greeting)
            #expect(error?.description.contains("127.0.0.1:\(server.port)") == true)
            #expect(error?.description.contains("greeting") == true, "\(error?.description ?? "")")
        }
    }

    @Test func aServerThatStopsAnsweringTimesOutNamingTheStep() async throws {
        var options = MailServer.Options()
        options.behaviour = "mute"
        try await MailServer.with(options) { server in
            var configuration = server.configuration()
            configuration.timeouts.command = .milliseconds(300)
            let error = await #expect(throws: MailerError.self) { try await SMTPClient.connect(configuration) }
            #expect(error?.code == .timeout)
            #expect(error?.step == .ehlo)
            #expect(error?.description.contains("EHLO") == true)
        }
    }

    @Test func aStalledMessageFailsTheBatchButKeepsEarlierOutcomes() async throws {
        try await MailServer.with { server in
            var configuration = server.configuration()
            configuration.timeouts.dataTermination = .milliseconds(500)
            let messages = try ["early@example.org", "stall@example.org", "never@example.org"].map { try SampleMail.digest(to: $0) }
            let error = await #expect(throws: MailerError.self) { try await SMTPTransport(configuration: configuration).send(messages) }
            #expect(error?.code == .timeout)
            #expect(error?.step == .endOfData)
            #expect(error?.outcomes.count == 1)
            #expect(error?.outcomes.first?.isAccepted == true)
        }
    }

    @Test func aRefusedConnectionNamesHostAndPort() async throws {
        let port = try await MailServer.with { server in server.port }
        let configuration = SMTPConfiguration(host: "127.0.0.1", port: port, startTLS: .never, timeouts: .all(.seconds(5)))
        let error = await #expect(throws: MailerError.self) { try await SMTPClient.connect(configuration) }
        #expect(error?.code == .connection)
        #expect(error?.step == .connect)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
    }

    @Test func sendingNothingConnectsToNothing() async throws {
        let configuration = SMTPConfiguration(host: "127.0.0.1", port: 9, startTLS: .never)
        #expect(try await SMTPTransport(configuration: configuration).send([]).isEmpty)
    }

    @Test func badSettingsAreRefusedBeforeConnecting() async throws {
        for configuration in [
            SMTPConfiguration(host: "", port: 25),
            SMTPConfiguration(host: "mail.example.org", port: 0),
            SMTPConfiguration(host: "mail.example.org", localName: "bad name\r\nMAIL FROM:<x@y>"),
            SMTPConfiguration(host: "mail.example.org", trust: .certificateFile("/nonexistent/ca.pem")),
        ] {
            let error = await #expect(throws: MailerError.self) { try await SMTPClient.connect(configuration) }
            #expect(error?.code == .invalidConfiguration)
        }
    }
}
