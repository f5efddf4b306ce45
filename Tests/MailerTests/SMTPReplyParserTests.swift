import Mailer
import Testing

/// Replies as real servers send them (Postfix's EHLO, aiosmtpd's), split every way the network
/// splits them, and the malformed input a broken or hostile server might send.
struct SMTPReplyParserTests {
    private func replies(_ text: String, chunk: Int = .max) throws -> [SMTPReply] {
        var parser = SMTPReplyParser()
        var replies: [SMTPReply] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            parser.append(bytes[start..<min(start + chunk, bytes.count)])
            start += chunk
            while let reply = try parser.next() { replies.append(reply) }
        }
        return replies
    }

    @Test func parsesOneLineReply() throws {
        let parsed = try replies("220 mail.example.org ESMTP Postfix\r\n")
        #expect(parsed == [SMTPReply(code: 220, lines: ["mail.example.org ESMTP Postfix"])])
    }

    @Test func joinsTheLinesOfAMultilineReply() throws {
        let ehlo = "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
        let parsed = try replies(ehlo)
        #expect(parsed.count == 1)
        #expect(parsed.first?.code == 250)
        #expect(parsed.first?.lines == ["mail.example.org", "PIPELINING", "SIZE 10240000", "STARTTLS", "AUTH PLAIN LOGIN", "8BITMIME"])
    }

    @Test(arguments: [1, 2, 3, 7])
    func waitsForTheRestOfAReplySplitAcrossReads(chunk: Int) throws {
        let parsed = try replies("250-first\r\n250 second\r\n354 End data with <CR><LF>.<CR><LF>\r\n", chunk: chunk)
        #expect(parsed == [SMTPReply(code: 250, lines: ["first", "second"]),
                           SMTPReply(code: 354, lines: ["End data with <CR><LF>.<CR><LF>"])])
    }

    @Test func readsPipelinedRepliesFromOneRead() throws {
        let parsed = try replies("250 OK\r\n450 4.2.1 Mailbox temporarily unavailable\r\n554 5.5.1 Error: no valid recipients\r\n")
        #expect(parsed.map(\.code) == [250, 450, 554])
        #expect(parsed[1].enhancedStatus == "4.2.1")
        #expect(parsed[0].enhancedStatus == nil)
    }

    @Test func acceptsACodeWithoutTextAndBareLineFeeds() throws {
        #expect(try replies("250\r\n221 bye\n") == [SMTPReply(code: 250, lines: [""]), SMTPReply(code: 221, lines: ["bye"])])
    }

    @Test func returnsNothingUntilTheLineEnds() throws {
        var parser = SMTPReplyParser()
        parser.append("250-PIPELINING\r\n250 HE".utf8)
        #expect(try parser.next() == nil)
        #expect(parser.hasBufferedInput)
        parser.append("LP\r\n".utf8)
        #expect(try parser.next()?.lines == ["PIPELINING", "HELP"])
        #expect(!parser.hasBufferedInput)
    }

    @Test(arguments: [
        ("hello\r\n", "three-digit code"),
        ("25 OK\r\n", "three-digit code"),
        ("2x0 OK\r\n", "three-digit code"),
        ("199 what\r\n", "not an SMTP reply code"),
        ("650 what\r\n", "not an SMTP reply code"),
        ("290 what\r\n", "not an SMTP reply code"),
        ("250_OK\r\n", "neither a space nor a hyphen"),
        ("250-first\r\n251 second\r\n", "began with 250"),
        ("HTTP/1.1 400 Bad Request\r\n", "three-digit code"),
    ])
    func refusesMalformedReplies(input: String, problem: String) throws {
        let error = #expect(throws: MailerError.self) { try replies(input) }
        #expect(error?.code == .protocolViolation)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")")
    }

    @Test func refusesALineLongerThanTheLimitEvenBeforeItEnds() throws {
        var parser = SMTPReplyParser()
        parser.append("250 ".utf8 + Array(repeating: UInt8(ascii: "a"), count: SMTPReplyParser.maximumLineLength + 10))
        let error = #expect(throws: MailerError.self) { try parser.next() }
        #expect(error?.message.contains("longer than") == true)
    }

    /// The longest line allowed, its CR in one read and its LF in the next, is read as it is
    /// when both come at once: the CR is not part of the line.
    @Test func aLineAtTheLimitMayBeSplitBetweenItsCRAndLF() throws {
        let line = "250 " + String(repeating: "a", count: SMTPReplyParser.maximumLineLength - 4)
        var parser = SMTPReplyParser()
        parser.append(Array((line + "\r").utf8))
        #expect(try parser.next() == nil)
        parser.append(Array("\n".utf8))
        #expect(try parser.next()?.lines.first?.count == SMTPReplyParser.maximumLineLength - 4)
    }

    @Test func refusesAReplyWithTooManyLines() throws {
        let text = String(repeating: "250-x\r\n", count: SMTPReplyParser.maximumLines + 1) + "250 end\r\n"
        let error = #expect(throws: MailerError.self) { try replies(text) }
        #expect(error?.message.contains("more than") == true)
    }

    @Test func quotesTheOffendingLineEscaped() throws {
        let error = #expect(throws: MailerError.self) { try replies("5\u{1B}[31m bad\r\n") }
        #expect(error?.message.contains("\\u{1B}") == true, "\(error?.message ?? "")")
    }
}
