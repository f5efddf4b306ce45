/// A step of the SMTP conversation, named in errors and timeouts so a person knows how far the
/// client got ("did not answer the greeting" points at a firewall, "end of data" at a filter).
public enum SMTPStep: String, Sendable, Hashable, CustomStringConvertible {
    case connect = "connect"
    case greeting = "greeting"
    case ehlo = "EHLO"
    case helo = "HELO"
    case startTLS = "STARTTLS"
    case tlsHandshake = "TLS handshake"
    case authentication = "AUTH"
    case reset = "RSET"
    case mailFrom = "MAIL FROM"
    case recipient = "RCPT TO"
    case data = "DATA"
    /// The message body has been sent and its final "." awaits the server's verdict.
    case endOfData = "end of data"
    case quit = "QUIT"

    public var description: String { rawValue }
}
