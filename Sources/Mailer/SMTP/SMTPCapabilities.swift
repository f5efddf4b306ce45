/// The service extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1): which
/// steps the client may take (STARTTLS, AUTH, PIPELINING) and with what parameters.
public struct SMTPCapabilities: Sendable, Hashable {
    /// Upper-cased keyword → its parameters as given (`SIZE` → `["35882577"]`).
    public let extensions: [String: [String]]

    /// A server that answered HELO, not EHLO: no extensions at all.
    public static let none = SMTPCapabilities(extensions: [:])

    public init(extensions: [String: [String]]) {
        self.extensions = extensions
    }

    /// Reads the lines after the first (which greets) of a 250 reply to EHLO.
    public init(ehloReply reply: SMTPReply) {
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard var keyword = words.first?.uppercased() else { continue }
            var parameters = Array(words.dropFirst())
            // Old servers announce `AUTH=PLAIN LOGIN` beside or instead of `AUTH PLAIN LOGIN`.
            if keyword.hasPrefix("AUTH=") {
                parameters.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            extensions[keyword, default: []].append(contentsOf: parameters)
        }
        self.extensions = extensions
    }

    public func supports(_ keyword: String) -> Bool {
        extensions[keyword.uppercased()] != nil
    }

    /// The SASL mechanisms AUTH offers, upper-cased.
    public var authenticationMechanisms: Set<String> {
        Set((extensions["AUTH"] ?? []).map { $0.uppercased() })
    }

    /// The SIZE limit in octets (RFC 1870), nil when none was announced or it is 0 (no limit).
    public var maximumMessageSize: Int? {
        guard let value = extensions["SIZE"]?.first.flatMap({ Int($0) }), value > 0 else { return nil }
        return value
    }
}
