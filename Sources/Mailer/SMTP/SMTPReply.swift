/// One SMTP reply (RFC 5321 §4.2): a three-digit code and the text of each of its lines.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public let code: Int
    /// The text after the code on each line, in order (one element for a one-line reply).
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines.isEmpty ? [""] : lines
    }

    /// 2xx: the command succeeded.
    public var isPositiveCompletion: Bool { code / 100 == 2 }
    /// 3xx: the server waits for more (354 after DATA, 334 during AUTH).
    public var isPositiveIntermediate: Bool { code / 100 == 3 }
    /// 4xx: refused for now; the same command may succeed later.
    public var isTransientNegative: Bool { code / 100 == 4 }
    /// 5xx: refused; the same command will not succeed.
    public var isPermanentNegative: Bool { code / 100 == 5 }

    /// The RFC 3463 enhanced status code (`5.1.1`) the first line starts with, if any: it says
    /// more precisely than the code why a message was refused (mailbox unknown, mailbox full).
    public var enhancedStatus: String? {
        guard let first = lines.first?.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Substring(String(code / 100)),
              parts.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) })
        else { return nil }
        return String(first)
    }

    /// `550 5.1.1 No such user`, lines joined with ` / ` for one-line logs and outbox records.
    public var description: String {
        let text = lines.filter { !$0.isEmpty }.joined(separator: " / ")
        return text.isEmpty ? String(code) : "\(code) \(text)"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
