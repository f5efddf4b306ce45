import Foundation

/// Subscribing as a form asks for it: an address, the account it comes from (if any), and
/// the options.
public struct SubscriptionRequest: Sendable, Hashable {
    /// Any case and surrounding spaces; kept normalized.
    public var email: String
    public var reader: ReaderID?
    public var options: DigestOptions

    public init(email: String, reader: ReaderID? = nil, options: DigestOptions) {
        self.email = email
        self.reader = reader
        self.options = options
    }
}

/// Digest subscriptions, a protocol apart from `PaperStore` so each store adopts it on its own
/// (the shared behaviours are `SubscriptionStoreBehaviour`).
///
/// Every change is one atomic write. Unsubscribing takes effect at once: the store never
/// reports an unsubscribed subscription as due, and a digest already composed for it is the
/// outbox's to drop.
public protocol SubscriptionStore: Sendable {
    /// Creates the subscription of the request's (normalized) address, or updates its options
    /// and account. A confirmed subscription stays confirmed; a new or unsubscribed one is
    /// `pending` until its address confirms.
    ///
    /// - Throws: `PaperboyError` (`.invalidArgument`, field `email`) for an address that is not one.
    func subscribe(_ request: SubscriptionRequest, at now: Date) async throws -> Subscription
    func subscription(_ id: SubscriptionID) async throws -> Subscription?
    func subscription(email: String) async throws -> Subscription?
    /// The subscription made from `reader`'s account, if any.
    func subscription(reader: ReaderID) async throws -> Subscription?
    /// New options, state unchanged; nil when there is no such subscription.
    func updateOptions(_ id: SubscriptionID, _ options: DigestOptions, at now: Date) async throws -> Subscription?
    /// `pending` → `confirmed`; a confirmed one is returned as it is, an unsubscribed one is
    /// not brought back by an old confirmation link (nil).
    func confirm(_ id: SubscriptionID, at now: Date) async throws -> Subscription?
    /// → `unsubscribed`, at once, whatever it was; unsubscribing twice changes nothing.
    func unsubscribe(_ id: SubscriptionID, at now: Date) async throws -> Subscription?
    /// Confirmed subscriptions with a period due at `now`, oldest due first, at most `limit`.
    func dueSubscriptions(at now: Date, limit: Int) async throws -> [Subscription]
    /// Records that `period` was composed for the subscription at `now`: it is never due again,
    /// nor is any period scheduled before `now`.
    func recordDigest(_ id: SubscriptionID, period: DigestPeriod, at now: Date) async throws
    /// How many subscriptions are in each state.
    func subscriptionCounts() async throws -> [SubscriptionState: Int]
    /// 32 random bytes made once per store, so every node serving it signs links alike.
    func siteSecret() async throws -> [UInt8]
}
