import Foundation

/// One email to one reader: a plain-text and an HTML version of the same content, the headers a
/// list mail needs, and the envelope (`from` is also the bounce address, `to` the one recipient).
///
/// Every value is checked when the message is made, so a message that exists can always be
/// rendered and sent: `rendered()` cannot fail and cannot emit a header nobody wrote.
public struct MailMessage: Sendable, Hashable {
    public let from: MailAddress
    public let to: MailAddress
    /// Any Unicode without control characters; non-ASCII is sent as RFC 2047 encoded-words.
    public let subject: String
    /// The text/plain version, any Unicode; sent as UTF-8 quoted-printable.
    public let text: String
    /// The text/html version, any Unicode; sent as UTF-8 quoted-printable.
    public let html: String
    public let date: Date
    public let messageID: MessageID
    /// The list headers, for mail sent to subscribers.
    public let list: MailingList?

    /// - Throws: `MailerError` (`.invalidMessage`, field `subject`) when the subject holds a line
    ///   break or another control character.
    public init(
        from: MailAddress, to: MailAddress, subject: String, text: String, html: String, date: Date,
        messageID: MessageID, list: MailingList? = nil
    ) throws {
        if let problem = HeaderText.controlCharacterProblem(subject) {
            throw MailerError.invalid("subject", subject, problem)
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = messageID
        self.list = list
    }

    /// The message as it travels: RFC 5322 headers, then a `multipart/alternative` body with the
    /// text/plain part first and the text/html part last (the one mail programs prefer), both
    /// quoted-printable. CRLF line endings, no line over 78 octets except a header holding a long
    /// URL, none over 998. Deterministic: the same message renders to the same bytes.
    public func rendered() -> [UInt8] {
        MessageRenderer.render(self)
    }
}
