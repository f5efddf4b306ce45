import Foundation

/// A reader with an account: who signs in, under which address, with which password.
public struct Reader: Sendable, Hashable {
    public var id: ReaderID
    /// The address as `ReaderEmail.normalized` made it: what makes an account one of a kind.
    public var email: String
    /// The password as its bcrypt hash (`$2b$…`); the password itself is never stored.
    public var passwordHash: String
    public var createdAt: Date

    public init(id: ReaderID, email: String, passwordHash: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// How an email address is compared: `Ada@Example.org ` and `ada@example.org` are one account.
///
/// Lowercasing the local part is not what RFC 5321 promises, but no mail provider a reader
/// uses tells two mailboxes apart by case, while readers do type their address with a
/// capital now and then; one account per person matters more.
public enum ReaderEmail {
    public static func normalized(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// A signed-in browser, as the store knows it: only the SHA-256 of the token in its cookie,
/// so a copy of the store does not let anyone sign in as anybody.
public struct ReaderSession: Sendable, Hashable {
    /// Lowercase hex SHA-256 of the session token.
    public var digest: String
    public var reader: ReaderID
    public var createdAt: Date
    public var expiresAt: Date

    public init(digest: String, reader: ReaderID, createdAt: Date, expiresAt: Date) {
        self.digest = digest
        self.reader = reader
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
