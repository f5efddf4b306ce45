import Foundation

/// How many failed sign-ins a key (an email, a client address) may have in a window before
/// further attempts are refused, right password or not, until the window has moved past
/// enough of them. Pure: the failures come from a `ReaderStore`.
public struct SignInThrottle: Sendable, Hashable {
    /// Failures allowed per email within `window`.
    public var perEmail: Int
    /// Failures allowed per client address within `window`: higher, since one address may
    /// be a whole office behind one NAT.
    public var perAddress: Int
    public var window: TimeInterval

    public init(perEmail: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
        precondition(perEmail > 0 && perAddress > 0 && window > 0, "a throttle needs positive limits")
        self.perEmail = perEmail
        self.perAddress = perAddress
        self.window = window
    }

    /// When a key with these `failures` (newest first, inside the window) may try again, or
    /// nil when it may try now: `limit` failures in the window block it until the oldest of
    /// the `limit` newest leaves the window.
    public func blockedUntil(failures: [Date], limit: Int, now: Date) -> Date? {
        guard failures.count >= limit else { return nil }
        let until = failures[limit - 1].addingTimeInterval(window)
        return until > now ? until : nil
    }
}
