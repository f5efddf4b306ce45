import PaperboyCore

/// A message as a transport hands it over: the envelope (`MAIL FROM`, `RCPT TO`) and the exact
/// bytes of the message. The outbox records these bytes when the mail is composed and sends
/// them as they are on every attempt, so a retry is the same message under the same Message-ID.
///
/// The envelope addresses are checked as `MailAddress`es: they go into SMTP commands and onto a
/// sendmail command line, where a line break or an option-like value could steer either.
public struct OutgoingMail: Sendable, Hashable {
    public let sender: MailAddress
    public let recipient: MailAddress
    /// The RFC 5322 message, headers and body, with CRLF line endings.
    public let bytes: [UInt8]

    public init(sender: MailAddress, recipient: MailAddress, bytes: [UInt8]) {
        self.sender = sender
        self.recipient = recipient
        self.bytes = bytes
    }

    /// `message` rendered, from its own `from` to its own `to`.
    public init(_ message: MailMessage) {
        self.init(sender: message.from, recipient: message.to, bytes: message.rendered())
    }

    /// A message the outbox recorded.
    ///
    /// - Throws: `MailerError` (`.invalidMessage`) naming the `sender` or `recipient` field when
    ///   the recorded address is not a plain address.
    public init(_ draft: OutboxDraft) throws {
        self.init(sender: try MailAddress(draft.sender, field: "sender"), recipient: try MailAddress(draft.recipient, field: "recipient"),
                  bytes: Array(draft.message))
    }
}
