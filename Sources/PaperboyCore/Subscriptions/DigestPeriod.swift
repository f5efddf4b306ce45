import Foundation

/// The span one digest covers, named the way it is keyed: `2026-11-26` for a daily digest (the
/// reader's local day), `2026-W48` for a weekly one (the ISO week of the send day). The outbox
/// key `digest:<subscription>:<period>` makes each period's digest one message.
public struct DigestPeriod: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// A period that is due, and the instant it was scheduled for (its send hour, local time).
public struct DuePeriod: Sendable, Hashable {
    public var period: DigestPeriod
    public var scheduledAt: Date

    public init(period: DigestPeriod, scheduledAt: Date) {
        self.period = period
        self.scheduledAt = scheduledAt
    }
}
