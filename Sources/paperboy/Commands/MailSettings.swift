import Foundation
import Logging
import Mailer
import PaperboyCore

/// The mail settings in force (`[mail]` in `paperboy.toml`, or `PAPERBOY_MAIL_*`), and the one
/// transport they describe: an SMTP server, or a local sendmail program. No mail is sent
/// unless one of the two is configured.
struct MailSettings {
    /// How the connection to the SMTP server is encrypted.
    enum Encryption: String {
        /// STARTTLS on the submission port, required: nothing is sent in the clear.
        case starttls
        /// TLS from the first byte (port 465, RFC 8314).
        case tls
        /// In the clear, for a relay on the same machine or network.
        case none
    }

    var from: String?
    var smtpHost: String?
    var smtpPort: Int?
    var encryption: Encryption
    var username: String?
    var password: String?
    var sendmail: String?
    var sendEvery: Duration

    init(_ config: Configuration) {
        from = config.value(ConfigKeys.mailFrom)
        smtpHost = config.value(ConfigKeys.mailSMTPHost)
        smtpPort = config.value(ConfigKeys.mailSMTPPort)
        encryption = config.value(ConfigKeys.mailTLS).flatMap(Encryption.init) ?? .starttls
        username = config.value(ConfigKeys.mailUsername)
        password = config.value(ConfigKeys.mailPassword)
        sendmail = config.value(ConfigKeys.mailSendmail)
        sendEvery = .seconds(config.value(ConfigKeys.mailSendEverySeconds) ?? 30)
    }

    /// Whether a transport is configured at all.
    var isConfigured: Bool { smtpHost != nil || sendmail != nil }

    /// The configured transport.
    ///
    /// - Throws: `PaperboyError` (`.invalidInput`) naming the keys when none or both transports
    ///   are configured, or credentials are half given.
    func transport(logger: Logger = Logger(label: "paperboy.mailer")) throws -> any MailTransport {
        switch (smtpHost, sendmail) {
        case (nil, nil):
            throw PaperboyError(.invalidInput, "Mail is not configured: set mail.smtp_host (PAPERBOY_MAIL_SMTP_HOST) or mail.sendmail (PAPERBOY_MAIL_SENDMAIL).")
        case (_?, _?):
            throw PaperboyError(.invalidInput, "Both mail.smtp_host and mail.sendmail are set; keep the one that should send mail.")
        case (nil, let program?):
            return SendmailTransport(executable: URL(fileURLWithPath: program))
        case (let host?, nil):
            return SMTPTransport(configuration: try smtpConfiguration(host: host), logger: logger)
        }
    }

    func smtpConfiguration(host: String) throws -> SMTPConfiguration {
        var credentials: SMTPConfiguration.Credentials?
        switch (username, password) {
        case (let user?, let password?): credentials = .init(username: user, password: password)
        case (nil, nil): credentials = nil
        case (_?, nil): throw PaperboyError(.invalidInput, "mail.username is set but mail.password is not (PAPERBOY_MAIL_PASSWORD).")
        case (nil, _?): throw PaperboyError(.invalidInput, "mail.password is set but mail.username is not (PAPERBOY_MAIL_USERNAME).")
        }
        let defaultPort = switch encryption {
        case .starttls: 587
        case .tls: 465
        case .none: 25
        }
        return SMTPConfiguration(
            host: host, port: smtpPort ?? defaultPort, startTLS: encryption == .starttls ? .required : .never,
            implicitTLS: encryption == .tls, credentials: credentials, localName: Self.localName)
    }

    /// The envelope and `From` address of mail the server composes.
    ///
    /// - Throws: `PaperboyError` (`.invalidInput`) when `mail.from` is missing or not an address.
    func fromAddress() throws -> MailAddress {
        guard let from else { throw PaperboyError(.invalidInput, "mail.from (PAPERBOY_MAIL_FROM) must be set to send mail.") }
        guard let address = Self.parse(from) else {
            throw PaperboyError(.invalidInput, "mail.from \(from.debugDescription) \(Self.addressProblem(from) ?? "is not an address").")
        }
        return address
    }

    /// Why `text` is not `Name <address>` or a bare address, or nil.
    @Sendable static func addressProblem(_ text: String) -> String? {
        do {
            _ = try address(text)
            return nil
        } catch let error as MailerError {
            return "is refused: \(error.message)"
        } catch {
            return "is not an address"
        }
    }

    private static func parse(_ text: String) -> MailAddress? { try? address(text) }

    private static func address(_ text: String) throws -> MailAddress {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else { return try MailAddress(trimmed, field: "mail.from") }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        let spec = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        return try MailAddress(spec, displayName: name.isEmpty ? nil : name, field: "mail.from")
    }

    /// The name given in EHLO: this host's name when it is a plain domain name with a dot (RFC
    /// 5321 asks for one), else `localhost`.
    private static var localName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let plain = name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
        return plain && name.contains(".") ? name : "localhost"
    }
}
