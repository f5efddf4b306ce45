import Foundation

/// A digest subscription as the store numbers them.
public struct SubscriptionID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// Where a subscription stands. Mail goes only to `confirmed` ones: a `pending` address has not
/// proven it wants mail (double opt-in), an `unsubscribed` one said it wants none.
public enum SubscriptionState: String, Sendable, Codable, CaseIterable {
    case pending
    case confirmed
    case unsubscribed
}

/// One reader's digest: the address it goes to, the account it belongs to (when made from
/// one), where it stands, what it holds and when, and the last period composed for it.
public struct Subscription: Sendable, Hashable, Identifiable {
    public var id: SubscriptionID
    /// Normalized (`EmailAddress.normalized`): one subscription per address.
    public var email: String
    /// The account it was made from; only these get recommendations of the reader's tags.
    public var reader: ReaderID?
    public var state: SubscriptionState
    public var options: DigestOptions
    public var createdAt: Date
    /// When it was last confirmed: no period scheduled before this is ever due.
    public var confirmedAt: Date?
    /// The last period composed (`2026-11-26`, `2026-W48`) and when: a period is composed once.
    public var lastPeriod: DigestPeriod?
    public var lastDigestAt: Date?

    public init(id: SubscriptionID, email: String, reader: ReaderID?, state: SubscriptionState, options: DigestOptions,
                createdAt: Date, confirmedAt: Date? = nil, lastPeriod: DigestPeriod? = nil, lastDigestAt: Date? = nil) {
        self.id = id
        self.email = email
        self.reader = reader
        self.state = state
        self.options = options
        self.createdAt = createdAt
        self.confirmedAt = confirmedAt
        self.lastPeriod = lastPeriod
        self.lastDigestAt = lastDigestAt
    }

    /// The schedule of its options.
    public var schedule: DigestSchedule { options.schedule }

    /// The period due at `now`, if any: only confirmed subscriptions are ever due, and never
    /// for a period scheduled before their confirmation or their last digest.
    public func duePeriod(at now: Date) -> DuePeriod? {
        guard state == .confirmed else { return nil }
        return schedule.duePeriod(at: now, since: since, last: lastPeriod)
    }

    /// When the next digest falls due, as the store indexes it; nil when none ever will.
    public var nextDueAt: Date? {
        guard state == .confirmed else { return nil }
        return schedule.nextSendInstant(since: since, last: lastPeriod)
    }

    /// The later of confirmation and the last digest.
    private var since: Date {
        max(confirmedAt ?? createdAt, lastDigestAt ?? .distantPast)
    }
}
