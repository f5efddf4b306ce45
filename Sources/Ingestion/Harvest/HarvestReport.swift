import Foundation
import PaperboyCore

/// What one harvest run did, for `paperboy harvest`'s summary and its `--json` output.
public struct HarvestReport: Sendable, Codable {
    public var source: String
    public var set: String
    /// Pages (responses) stored.
    public var pages = 0
    public var counts = UpsertCounts()
    /// Records that could not become papers (each named in `rejections`, the first 20).
    public var rejected = 0
    public var rejections: [Rejection] = []
    /// Times an expired resumption token made the list start again.
    public var restarts = 0
    public var seconds = 0.0

    /// Most rejections a report names.
    static let namedRejections = 20

    public init(source: String, set: String) {
        self.source = source
        self.set = set
    }

    /// Adds another run's figures (one set of several), as one report.
    public mutating func add(_ other: HarvestReport) {
        pages += other.pages
        counts += other.counts
        rejected += other.rejected
        rejections += other.rejections.prefix(max(0, Self.namedRejections - rejections.count))
        restarts += other.restarts
        seconds += other.seconds
    }

    mutating func add(page counts: UpsertCounts, rejections: [Rejection]) {
        pages += 1
        self.counts += counts
        rejected += rejections.count
        self.rejections += rejections.prefix(max(0, Self.namedRejections - self.rejections.count))
    }
}

/// How far a harvest has come, for a progress bar.
public struct HarvestProgress: Sendable {
    public var pages: Int
    /// Records stored so far (papers and rejected ones).
    public var records: Int
    /// The list's size, when the repository tells it (OAI-PMH `completeListSize`).
    public var total: Int?

    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        return min(1, Double(records) / Double(total))
    }
}
