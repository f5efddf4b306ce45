/// A way to hand messages to the mail system: an SMTP server (`SMTPTransport`) or the local
/// sendmail program (`SendmailTransport`). The outbox records each message's outcome and tries
/// temporary failures again later.
public protocol MailTransport: Sendable {
    /// Hands over `messages` in order and says what became of each, one outcome per message.
    ///
    /// - Throws: `MailerError` when the transport itself fails (no connection, a timeout, a
    ///   server that stops speaking SMTP); its `outcomes` hold what became of the messages
    ///   handled before the failure.
    func send(_ messages: [MailMessage]) async throws -> [DeliveryOutcome]
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
