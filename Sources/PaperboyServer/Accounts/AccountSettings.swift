import Foundation
import PaperboyCore

/// How accounts behave: password hashing cost, session and reset-link lifetimes, the
/// sign-in throttle, and who password-reset mail comes from.
public struct AccountSettings: Sendable {
    /// bcrypt's cost (log2 of its rounds): 12 takes about a quarter second, which a reader
    /// signing in does not notice and an attacker guessing offline does. Tests use 4.
    public var bcryptCost: UInt8
    public var sessionLifetime: TimeInterval
    public var resetLinkLifetime: TimeInterval
    public var throttle: SignInThrottle
    /// The `From` of password-reset mail.
    public var mailFrom: String

    public init(bcryptCost: UInt8 = 12, sessionLifetime: TimeInterval = 30 * 86_400,
                resetLinkLifetime: TimeInterval = 3_600, throttle: SignInThrottle = SignInThrottle(),
                mailFrom: String = "paperboy@localhost") {
        precondition((4...31).contains(bcryptCost), "bcrypt's cost is between 4 and 31")
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.resetLinkLifetime = resetLinkLifetime
        self.throttle = throttle
        self.mailFrom = mailFrom
    }
}

/// What a reader may choose as a password.
enum PasswordRule {
    static let minimumCharacters = 8
    /// bcrypt reads only the first 72 bytes; a longer password would be silently cut.
    static let maximumBytes = 72

    /// Why `password` cannot be used, or nil when it can.
    static func problem(with password: String) -> String? {
        if password.count < minimumCharacters { return "must have at least \(minimumCharacters) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes long" }
        return nil
    }
}
