import Foundation

/// The list headers a digest carries so mail programs can show an unsubscribe button and
/// filter by list: `List-Id` (RFC 2919), `List-Unsubscribe` (RFC 2369) with an https URL and
/// a mailto, and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), which lets a
/// provider unsubscribe with one POST to the URL, without the reader visiting a page.
public struct MailingList: Sendable, Hashable {
    /// The list's identifier, e.g. `digest.paperboy.example` (a dot-atom with at least one dot).
    public let id: String
    /// The list's human name shown before the id, if any.
    public let name: String?
    /// The https URL that unsubscribes this reader: a GET shows a confirmation page, a POST of
    /// `List-Unsubscribe=One-Click` unsubscribes at once.
    public let unsubscribeURL: String
    /// The address a mail program may write to instead, with subject `unsubscribe`.
    public let unsubscribeAddress: MailAddress?

    /// Longer URLs are refused: the header line that holds one cannot be folded, and must stay
    /// under the 998-octet line limit.
    public static let maximumURLLength = 900

    /// - Throws: `MailerError` (`.invalidMessage`) naming `List-Id` or `List-Unsubscribe` when
    ///   the id is not a dot-atom with a dot, the name holds control characters, or the URL is
    ///   not an absolute https URL of visible ASCII without `<`, `>`, `"` and `,`.
    public init(id: String, name: String? = nil, unsubscribeURL: String, unsubscribeAddress: MailAddress?) throws {
        guard HeaderText.isDotAtom(id), id.contains(".") else {
            throw MailerError.invalid(
                "List-Id", id, HeaderText.controlCharacterProblem(id) ?? "is not a dot-atom with at least one dot (like digest.paperboy.example)")
        }
        if let name, let problem = HeaderText.controlCharacterProblem(name) {
            throw MailerError.invalid("List-Id name", name, problem)
        }
        if let name, name.unicodeScalars.count > MailAddress.maximumDisplayNameLength {
            throw MailerError.invalid("List-Id name", name, "is longer than \(MailAddress.maximumDisplayNameLength) characters")
        }
        if let problem = Self.urlProblem(unsubscribeURL) {
            throw MailerError.invalid("List-Unsubscribe URL", unsubscribeURL, problem)
        }
        self.id = id
        let trimmed = name?.trimmingSpaces
        self.name = trimmed?.isEmpty == false ? trimmed : nil
        self.unsubscribeURL = unsubscribeURL
        self.unsubscribeAddress = unsubscribeAddress
    }

    /// Why `url` cannot go into `List-Unsubscribe`, or nil when it can.
    static func urlProblem(_ url: String) -> String? {
        if let problem = HeaderText.controlCharacterProblem(url) { return problem }
        guard url.utf8.count <= maximumURLLength else { return "is longer than \(maximumURLLength) characters" }
        guard url.utf8.allSatisfy({ (0x21...0x7E).contains($0) && !"<>\",".utf8.contains($0) }) else {
            return "must be visible ASCII without spaces, <, >, \" or , (percent-encode them)"
        }
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "https", let host = parsed.host, !host.isEmpty else {
            return "is not an absolute https URL (RFC 8058 one-click unsubscribe needs https)"
        }
        return nil
    }

    /// `mailto:address?subject=unsubscribe`, the address percent-encoded as RFC 6068 asks.
    var mailtoURL: String? {
        guard let address = unsubscribeAddress else { return nil }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$'*+=@".utf8)
        var encoded = ""
        for byte in address.addrSpec.utf8 {
            if allowed.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "mailto:\(encoded)?subject=unsubscribe"
    }
}

extension String {
    /// The string with zeros in front up to `width` characters (for hex digits).
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
