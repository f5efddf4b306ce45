/// Where and how `SMTPClient` connects: the server, whether to encrypt, whom to trust, who to
/// log in as, and how long each step may take. The defaults suit a submission server on port
/// 587: STARTTLS required, the system's trusted roots, credentials only over TLS.
public struct SMTPConfiguration: Sendable {
    /// When to upgrade the connection with STARTTLS (RFC 3207).
    public enum StartTLS: Sendable, Hashable {
        /// Upgrade, or fail before any mail or credentials are sent.
        case required
        /// Upgrade when the server offers it; otherwise send in the clear.
        case ifOffered
        /// Never upgrade (a relay on the same machine or network).
        case never
    }

    /// Which certificates the server's must chain to.
    public enum Trust: Sendable, Hashable, CustomStringConvertible {
        /// The operating system's trusted roots.
        case systemRoots
        /// The CA certificates in a PEM file (a private CA, or a test server's self-signed one).
        case certificateFile(String)

        public var description: String {
            switch self {
            case .systemRoots: "trusting the system's root certificates"
            case .certificateFile(let path): "trusting the CA certificates in \(path)"
            }
        }
    }

    /// A user name and password for AUTH PLAIN or LOGIN; never printed.
    public struct Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        public var description: String { "\(username) (password hidden)" }
        public var debugDescription: String { description }
    }

    public var host: String
    public var port: Int
    public var startTLS: StartTLS
    /// TLS from the first byte (port 465, RFC 8314 §3.3) rather than an upgrade: the greeting
    /// already comes encrypted and `startTLS` is not used.
    public var implicitTLS: Bool
    public var trust: Trust
    public var credentials: Credentials?
    /// Send credentials over an unencrypted connection. Off by default: anyone on the path could
    /// read the password. Only for a server on the same machine.
    public var allowsAuthenticationWithoutTLS: Bool
    /// The name this client gives in EHLO/HELO; RFC 5321 asks for its fully qualified domain name.
    public var localName: String
    public var timeouts: SMTPTimeouts

    public init(
        host: String, port: Int = 587, startTLS: StartTLS = .required, implicitTLS: Bool = false, trust: Trust = .systemRoots,
        credentials: Credentials? = nil, allowsAuthenticationWithoutTLS: Bool = false,
        localName: String = "localhost", timeouts: SMTPTimeouts = SMTPTimeouts()
    ) {
        self.host = host
        self.port = port
        self.startTLS = startTLS
        self.implicitTLS = implicitTLS
        self.trust = trust
        self.credentials = credentials
        self.allowsAuthenticationWithoutTLS = allowsAuthenticationWithoutTLS
        self.localName = localName
        self.timeouts = timeouts
    }

    /// `host:port`, as errors name the server.
    public var server: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Refuses what cannot work before connecting, so the error names the setting, not a step.
    func validate() throws {
        func invalid(_ message: String) -> MailerError { MailerError(.invalidConfiguration, message: message, server: server) }
        guard !host.isEmpty, HeaderText.controlCharacterProblem(host) == nil, !host.contains(" ") else {
            throw invalid("The SMTP host \(MailerError.quoted(host)) is not a host name or address.")
        }
        guard (1...65_535).contains(port) else { throw invalid("The SMTP port \(port) is not between 1 and 65535.") }
        let nameIsLiteral = localName.hasPrefix("[") && localName.hasSuffix("]") && localName.count > 2
            && localName.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        guard nameIsLiteral || MailAddress.domainProblem(Substring(localName)) == nil else {
            throw invalid("The local name \(MailerError.quoted(localName)) for EHLO is not a domain name or an address literal like [192.0.2.1].")
        }
        if let credentials {
            guard !credentials.username.contains("\0"), !credentials.password.contains("\0") else {
                throw invalid("The SMTP user name or password contains a NUL character, which AUTH PLAIN cannot carry.")
            }
        }
    }
}

/// How long each step of the conversation may take before the client gives up. The defaults
/// are RFC 5321 §4.5.3.2's: a busy server may be slow to greet and slower still to accept a
/// message, and giving up early would send the message twice.
public struct SMTPTimeouts: Sendable, Hashable {
    /// Opening the TCP connection.
    public var connect: Duration
    /// The 220 greeting after connecting.
    public var greeting: Duration
    /// The reply to EHLO, HELO, STARTTLS, AUTH, RSET, MAIL FROM, RCPT TO and QUIT.
    public var command: Duration
    /// The TLS handshake after STARTTLS.
    public var tlsHandshake: Duration
    /// The 354 reply to DATA.
    public var dataInitiation: Duration
    /// The reply after the message's final ".".
    public var dataTermination: Duration

    public init(
        connect: Duration = .seconds(30), greeting: Duration = .seconds(300), command: Duration = .seconds(300),
        tlsHandshake: Duration = .seconds(60), dataInitiation: Duration = .seconds(120),
        dataTermination: Duration = .seconds(600)
    ) {
        self.connect = connect
        self.greeting = greeting
        self.command = command
        self.tlsHandshake = tlsHandshake
        self.dataInitiation = dataInitiation
        self.dataTermination = dataTermination
    }

    /// The same limit for every step (tests, and impatient tools).
    public static func all(_ limit: Duration) -> SMTPTimeouts {
        SMTPTimeouts(connect: limit, greeting: limit, command: limit, tlsHandshake: limit, dataInitiation: limit, dataTermination: limit)
    }

    func limit(for step: SMTPStep) -> Duration {
        switch step {
        case .connect: connect
        case .greeting: greeting
        case .tlsHandshake: tlsHandshake
        case .data: dataInitiation
        case .endOfData: dataTermination
        case .ehlo, .helo, .startTLS, .authentication, .reset, .mailFrom, .recipient: command
        case .quit: min(command, .seconds(10))  // the messages are handed over; do not linger
        }
    }
}
