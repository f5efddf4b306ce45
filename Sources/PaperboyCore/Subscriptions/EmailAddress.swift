import Foundation

/// The one form of an address a subscription is kept under, so `Ada@Example.org ` and
/// `ada@example.org` are one subscriber.
public enum EmailAddress {
    /// The address trimmed and lowercased.
    ///
    /// - Throws: `PaperboyError` (`.invalidArgument`, field `email`) unless it is one plain
    ///   `local@domain` of visible ASCII, at most 254 characters, with a dot in the domain.
    ///   The mail composer checks it again, more strictly, before any header is written.
    public static func normalized(_ text: String) throws -> String {
        let address = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard !address.isEmpty, address.utf8.count <= 254,
              address.utf8.allSatisfy({ (0x21...0x7E).contains($0) && !"<>()[]\\,;:\"".utf8.contains($0) }),
              parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else {
            throw PaperboyError(.invalidArgument, "email: \(text.debugDescription) is not an email address like ada@example.org.")
        }
        return address
    }
}
