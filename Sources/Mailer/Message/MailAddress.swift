/// An email address with an optional display name, checked when it is made so that nothing
/// downstream (headers, `MAIL FROM`, a sendmail command line) can be steered by its contents.
///
/// Only plausible, plain addresses are accepted: an ASCII dot-atom local part of at most 64
/// octets, a domain of letter-digit-hyphen labels, 254 octets in all. Quoted local parts,
/// address literals and internationalized addresses (SMTPUTF8) are refused: a digest goes to
/// addresses readers typed into a form, and a strange one is far more likely an attack or a
/// typo than a real mailbox.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `local@domain`, exactly as given.
    public let addrSpec: String
    /// The name shown beside the address, if any; any Unicode but no control characters.
    public let displayName: String?

    /// - Parameter field: what the address is for (`from`, `to`, `List-Unsubscribe mailto`), named
    ///   in the error when the address is refused.
    /// - Throws: `MailerError` (`.invalidMessage`) naming `field` and the problem.
    public init(_ addrSpec: String, displayName: String? = nil, field: String = "address") throws {
        if let problem = Self.problem(with: addrSpec) {
            throw MailerError.invalid("\(field) address", addrSpec, problem)
        }
        if let displayName, let problem = HeaderText.controlCharacterProblem(displayName) {
            throw MailerError.invalid("\(field) display name", displayName, problem)
        }
        if let displayName, displayName.unicodeScalars.count > Self.maximumDisplayNameLength {
            throw MailerError.invalid(
                "\(field) display name", displayName, "is longer than \(Self.maximumDisplayNameLength) characters")
        }
        self.addrSpec = addrSpec
        let trimmed = displayName?.trimmingSpaces
        self.displayName = trimmed?.isEmpty == false ? trimmed : nil
    }

    /// The part before the last `@`.
    public var localPart: Substring { addrSpec[..<atIndex] }
    /// The part after the last `@`.
    public var domain: Substring { addrSpec[addrSpec.index(after: atIndex)...] }

    /// `"Name" <local@domain>` for logs; headers use the encoded form from `MessageRenderer`.
    public var description: String {
        guard let displayName else { return addrSpec }
        return "\(displayName.debugDescription) <\(addrSpec)>"
    }

    static let maximumDisplayNameLength = 256

    private var atIndex: String.Index {
        // Every accepted address has exactly one `@`.
        addrSpec.lastIndex(of: "@") ?? addrSpec.endIndex
    }

    /// Why `addrSpec` is not a plausible address, or nil when it is.
    static func problem(with addrSpec: String) -> String? {
        if let problem = HeaderText.controlCharacterProblem(addrSpec) { return problem }
        guard addrSpec.utf8.allSatisfy({ $0 < 0x80 }) else {
            return "is not ASCII; internationalized addresses (SMTPUTF8) are not supported"
        }
        guard !addrSpec.utf8.contains(UInt8(ascii: " ")) else { return "contains a space" }
        guard addrSpec.utf8.count <= 254 else { return "is longer than 254 characters" }
        let parts = addrSpec.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return parts.count < 2 ? "has no @" : "has more than one @ (quoted local parts are not supported)"
        }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty else { return "has nothing before the @" }
        guard local.utf8.count <= 64 else { return "has a local part longer than 64 characters" }
        guard HeaderText.isDotAtom(local) else {
            return "has a local part that is not a plain dot-atom (letters, digits, !#$%&'*+-/=?^_`{|}~ and single inner dots)"
        }
        guard !domain.isEmpty else { return "has nothing after the @" }
        return domainProblem(domain)
    }

    /// Why `domain` is not a host name of letter-digit-hyphen labels, or nil when it is.
    static func domainProblem(_ domain: Substring) -> String? {
        guard domain.utf8.count <= 253 else { return "has a domain longer than 253 characters" }
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63 else {
                return "has a domain with an empty or overlong label"
            }
            guard label.utf8.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") }),
                  label.utf8.first != UInt8(ascii: "-"), label.utf8.last != UInt8(ascii: "-")
            else {
                return "has a domain label \(String(label).debugDescription) that is not letters, digits and inner hyphens"
            }
        }
        return nil
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }
}

extension String {
    /// Without leading and trailing spaces (only U+0020: control characters are refused earlier).
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " }),
              let end = scalars.lastIndex(where: { $0 != " " })
        else { return "" }
        return String(scalars[start...end])
    }
}
