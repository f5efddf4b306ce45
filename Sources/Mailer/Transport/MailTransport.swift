/// A way to hand messages to the mail system: an SMTP server (`SMTPTransport`) or the local
/// sendmail program (`SendmailTransport`). The outbox records each message's outcome and tries
/// temporary failures again later.
public protocol MailTransport: Sendable {
    /// Hands over `mails` in order and tells `outcome` what became of each (its index in `mails`
    /// and the outcome) as soon as the receiving side has said, before the next one is started.
    /// The outbox records each outcome there, so a crash half way through a batch loses at most
    /// the record of the one message in flight.
    ///
    /// - Throws: `MailerError` when the transport itself fails (no connection, a timeout, a
    ///   server that stops speaking SMTP): the messages without an outcome were not accepted,
    ///   except perhaps the one in flight, which SMTP cannot tell. An error `outcome` throws
    ///   ends the batch (the connection is closed) and is rethrown as it is.
    func deliver(_ mails: [OutgoingMail], outcome: (Int, DeliveryOutcome) async throws -> Void) async throws
}

extension MailTransport {
    /// Hands over `messages` in order and says what became of each, one outcome per message.
    ///
    /// - Throws: `MailerError` when the transport itself fails; its `outcomes` hold what became
    ///   of the messages handled before the failure.
    public func send(_ messages: [MailMessage]) async throws -> [DeliveryOutcome] {
        var outcomes: [DeliveryOutcome] = []
        do {
            try await deliver(messages.map(OutgoingMail.init)) { _, outcome in outcomes.append(outcome) }
        } catch var error as MailerError {
            error.outcomes = outcomes
            throw error
        }
        return outcomes
    }
}

/// What became of one message: the receiving side took it, refused it for now, or refused it
/// for good. Only `temporaryFailure` is worth trying again.
public enum DeliveryOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The server answered 2xx to the end of data (or sendmail exited 0): the message is queued.
    case accepted(DeliveryReply)
    /// A 4xx at any step (or sendmail exit 75, `EX_TEMPFAIL`): try again later.
    case temporaryFailure(DeliveryReply)
    /// A 5xx at any step (or another sendmail exit status): do not try again.
    case permanentFailure(DeliveryReply)

    /// What the receiving side said.
    public var reply: DeliveryReply {
        switch self {
        case .accepted(let reply), .temporaryFailure(let reply), .permanentFailure(let reply): reply
        }
    }

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .accepted(let reply): "accepted: \(reply)"
        case .temporaryFailure(let reply): "temporary failure: \(reply)"
        case .permanentFailure(let reply): "permanent failure: \(reply)"
        }
    }
}

/// The receiving side's own words about a message, for the outbox's record.
public enum DeliveryReply: Sendable, Hashable, CustomStringConvertible {
    /// The SMTP server's reply that decided the outcome.
    case smtp(SMTPReply)
    /// How the sendmail program ended and what it printed.
    case sendmail(SendmailExit)

    public var description: String {
        switch self {
        case .smtp(let reply): reply.description
        case .sendmail(let exit): exit.description
        }
    }
}

/// How one run of the sendmail program ended.
public struct SendmailExit: Sendable, Hashable, CustomStringConvertible {
    public enum Termination: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
    }

    public var termination: Termination
    /// What it wrote to stdout and stderr, trimmed and cut to 4 KiB.
    public var output: String

    public init(termination: Termination, output: String) {
        self.termination = termination
        self.output = output
    }

    public var description: String {
        let ending = switch termination {
        case .exited(let status): "sendmail exited with status \(status)"
        case .signalled(let signal): "sendmail was killed by signal \(signal)"
        }
        return output.isEmpty ? ending : "\(ending): \(output)"
    }
}
