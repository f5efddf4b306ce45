/// Why mail could not be composed or handed over, in words a person can act on: which field,
/// which server (`host:port`) and which step of the conversation, what the server said, and the
/// underlying error when there is one.
///
/// A message a server answered (250, 4xx, 5xx) is a `DeliveryOutcome`, never this error: this
/// error means the message or the connection itself is at fault.
public struct MailerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it was, for code that decides what to do next.
    public enum Code: String, Sendable, Hashable {
        /// A value cannot go into a message as given (an address, a header value, a URL).
        case invalidMessage
        /// The configuration cannot work (a CA file that does not exist, a bad host name).
        case invalidConfiguration
        /// No connection, or the connection dropped.
        case connection
        /// The server (or the sendmail program) did not answer within the step's timeout.
        case timeout
        /// The server answered something that is not SMTP, or not what the step allows.
        case protocolViolation
        /// The server refused the session itself (a 554 greeting, EHLO and HELO refused).
        case refused
        /// STARTTLS was required but not offered or refused, or the TLS handshake failed.
        case tls
        /// The server offered no usable mechanism, or refused the credentials.
        case authentication
        /// The sendmail program could not be run.
        case sendmail
    }

    public var code: Code
    /// One sentence naming what failed, where, and what to do about it.
    public var message: String
    /// The message field at fault (`subject`, `to`, `List-Unsubscribe`), for `.invalidMessage`.
    public var field: String?
    /// `host:port` of the server, for failures of a connection.
    public var server: String?
    /// The step of the SMTP conversation that failed.
    public var step: SMTPStep?
    /// The server's reply that caused the failure, when there was one.
    public var reply: SMTPReply?
    /// What became of the messages handled before the failure, in order: a transport that fails
    /// half way returns them here so that a caller never sends an accepted message twice. The
    /// messages after these were not accepted (the one in flight may have been, which SMTP
    /// cannot tell).
    public var outcomes: [DeliveryOutcome]
    /// The error underneath (a socket error, a TLS error, the reply parser's), when there is one.
    public var cause: (any Error)?

    public init(
        _ code: Code, message: String, field: String? = nil, server: String? = nil, step: SMTPStep? = nil,
        reply: SMTPReply? = nil, outcomes: [DeliveryOutcome] = [], cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.server = server
        self.step = step
        self.reply = reply
        self.outcomes = outcomes
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return message }
        return "\(message) (\(cause))"
    }

    /// A message-field error: `field` names what the caller passed, `value` is quoted escaped
    /// so that a line break in it cannot break the log line the error lands in.
    static func invalid(_ field: String, _ value: String, _ problem: String) -> MailerError {
        MailerError(.invalidMessage, message: "The \(field) \(quoted(value)) \(problem).", field: field)
    }

    /// `value` in quotes with control characters escaped and long values cut, for messages.
    static func quoted(_ value: String, limit: Int = 120) -> String {
        let cut = value.unicodeScalars.count > limit ? String(String.UnicodeScalarView(value.unicodeScalars.prefix(limit))) + "…" : value
        return cut.debugDescription
    }
}
