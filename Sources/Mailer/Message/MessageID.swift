import Foundation

/// A `Message-ID` (RFC 5322 §3.6.4): `<left@right>`, both sides dot-atoms. The outbox keeps a
/// message's id from its first attempt to its last, so a receiver that sees a retry can tell it
/// is the same message.
public struct MessageID: Sendable, Hashable, CustomStringConvertible {
    /// The part before `@`, unique per message.
    public let left: String
    /// The part after `@`, usually the sender's domain.
    public let right: String

    /// - Throws: `MailerError` (`.invalidMessage`, field `Message-ID`) when either side is not a
    ///   dot-atom or the whole is over 250 characters.
    public init(left: String, right: String) throws {
        for side in [left, right] where !HeaderText.isDotAtom(side) {
            let problem = HeaderText.controlCharacterProblem(side) ?? "is not a dot-atom (letters, digits, !#$%&'*+-/=?^_`{|}~ and inner dots)"
            throw MailerError.invalid("Message-ID part", side, problem)
        }
        guard left.utf8.count + right.utf8.count + 3 <= 250 else {
            throw MailerError.invalid("Message-ID", "\(left)@\(right)", "is longer than 250 characters")
        }
        self.left = left
        self.right = right
    }

    /// A fresh id in `domain`: a random UUID on the left, so ids never collide across nodes.
    public static func unique(in domain: String) throws -> MessageID {
        try MessageID(left: UUID().uuidString.lowercased(), right: domain)
    }

    /// `<left@right>`, as the header and `In-Reply-To` write it.
    public var description: String { "<\(left)@\(right)>" }
}
