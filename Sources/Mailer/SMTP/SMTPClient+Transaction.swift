import NIOCore

/// Sending one message: MAIL FROM, RCPT TO, DATA (pipelined when the server allows), the body.
extension SMTPClient {
    /// Hands `message` to the server and returns its verdict; see `send(_: OutgoingMail)`.
    public func send(_ message: MailMessage) async throws -> DeliveryOutcome {
        try await send(OutgoingMail(message))
    }

    /// Hands `mail` to the server, its bytes exactly as given (dot-stuffed on the wire), and
    /// returns the verdict: `.accepted` on a 2xx after the body, `.temporaryFailure` on a 4xx and
    /// `.permanentFailure` on a 5xx at any step. The session stays usable after a refusal, for
    /// the next message.
    ///
    /// - Throws: `MailerError` when the connection fails or the server stops speaking SMTP.
    public func send(_ mail: OutgoingMail) async throws -> DeliveryOutcome {
        if transactions > 0 {
            let reset = try await exchange("RSET", step: .reset)
            guard reset.isPositiveCompletion else { throw refusal(reset, step: .reset) }
        }
        transactions += 1
        let body = SMTPDataEncoding.encode(mail.bytes)
        var mailFrom = "MAIL FROM:<\(mail.sender.addrSpec)>"
        if capabilities.supports("SIZE") { mailFrom += " SIZE=\(body.count)" }
        let envelope: [(command: String, step: SMTPStep)] = [
            (mailFrom, .mailFrom), ("RCPT TO:<\(mail.recipient.addrSpec)>", .recipient), ("DATA", .data),
        ]

        var refused: DeliveryOutcome?
        if capabilities.supports("PIPELINING") {
            // RFC 2920: the envelope goes in one write; the replies come back in order.
            let replies = envelope.enumerated().map { index, entry in
                write(channel.allocator.buffer(string: entry.command + "\r\n"), step: entry.step, flush: index == envelope.count - 1)
            }
            var dataReply: SMTPReply?
            for (future, entry) in zip(replies, envelope) {
                let reply = try await self.reply(to: future, step: entry.step)
                let verdict = try judge(reply, at: entry.step)
                if refused == nil { refused = verdict }
                if entry.step == .data { dataReply = reply }
            }
            if let refused {
                // A server may say 354 even though every recipient was refused; end the empty message.
                if dataReply?.code == 354 { _ = try await exchange(".", step: .endOfData) }
                return refused
            }
        } else {
            for entry in envelope {
                let reply = try await exchange(entry.command, step: entry.step)
                if let verdict = try judge(reply, at: entry.step) { return verdict }
            }
        }

        let reply = try await self.reply(to: write(channel.allocator.buffer(bytes: body), step: .endOfData, flush: true), step: .endOfData)
        if reply.isPositiveCompletion { return .accepted(.smtp(reply)) }
        if let verdict = try judge(reply, at: .endOfData) { return verdict }
        throw refusal(reply, step: .endOfData, code: .protocolViolation)
    }

    /// Nil when the transaction may go on (2xx, or 354 after DATA), the outcome for a 4xx or
    /// 5xx, and an error for anything else, which no SMTP server says at that step.
    private func judge(_ reply: SMTPReply, at step: SMTPStep) throws -> DeliveryOutcome? {
        if step == .data ? reply.code == 354 : reply.isPositiveCompletion { return nil }
        if reply.isTransientNegative { return .temporaryFailure(.smtp(reply)) }
        if reply.isPermanentNegative { return .permanentFailure(.smtp(reply)) }
        throw refusal(reply, step: step, code: .protocolViolation)
    }
}
