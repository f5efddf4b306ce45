import Foundation
import Logging
import PaperboyCore
import Retrieval
import Synchronization

/// What the pages, the JSON API and the feeds read, in one place over the store and the
/// search engine, so a page and its API twin can never disagree.
///
/// Feed time is anchored at the newest paper in the store or the clock, whichever is
/// earlier: a store of last year's papers still has a daily page and a trending list.
public final class PaperCatalog: Sendable {
    public let store: any PaperStore
    /// The map of the field, for the map page, its tiles and topic trends.
    public let fieldMap: FieldMap
    private let engineBox: Mutex<(engine: SearchEngine, version: UInt64)>
    /// Internal rather than private: topic and query trends anchor their weeks at it too.
    let clock: @Sendable () -> Date
    /// Ranked feeds, at most 512: a new vote shows in a feed within `feedLifetime`.
    private let feeds = RefreshingCache(budget: 512)
    private static let feedLifetime = Duration.seconds(30)

    /// Most papers a daily window or the trending list ranks (the newest ones when more).
    public static let feedDepth = 2_000
    /// How far back trending looks from the anchor.
    public static let trendingDays = 14

    public init(store: any PaperStore, engine: SearchEngine, fieldMap: FieldMap = FieldMap(),
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.fieldMap = fieldMap
        engineBox = Mutex((engine, 0))
        self.clock = clock
    }

    /// The engine as of now (the server swaps in a newer one when its indexes catch up).
    public var engine: SearchEngine { engineBox.withLock { $0.engine } }

    /// Advanced each time a newer engine comes in, and each time the store answers again
    /// after searches were answered from the engine's `PaperMemory` (perhaps missing papers):
    /// anything computed from the catalog under an older version (a rendered page) may be out
    /// of date.
    public var version: UInt64 {
        engineBox.withLock { $0.version + ($0.engine.memory?.recoveries ?? 0) }
    }

    public func replaceEngine(_ engine: SearchEngine) {
        engineBox.withLock { $0 = (engine, $0.version + 1) }
        feeds.removeAll()
    }

    // MARK: Feeds

    /// The window of `span` to show when the reader asked for none: the one holding the
    /// newest paper. Nil for an empty store.
    public func latestWindow(span: FeedSpan, category: String? = nil) async throws -> DayWindow? {
        guard let newest = try await store.papers(matching: PaperQuery(category: category, limit: 1)).first,
              let published = newest.published else { return nil }
        return DayWindow(containing: published, span: span)
    }

    /// The papers of `window`, hottest first, with the nearest windows before and after it
    /// that have papers (nil when there is none).
    public func daily(_ window: DayWindow, category: String? = nil) async throws -> DailyFeed {
        try await feeds.value(for: "daily \(window.span) \(window.isoDay) \(category ?? "")", lifetime: Self.feedLifetime) { [self] in
            let papers = try await store.papers(matching: PaperQuery(since: window.start, until: window.end,
                                                                     category: category, limit: Self.feedDepth))
            let votes = try await store.upvoteCounts(for: papers.map(\.id))
            let ranked = TrendingScore(now: min(clock(), window.end)).ranked(papers, siteUpvotes: votes)
            let before = try await store.papers(matching: PaperQuery(until: window.start, category: category, limit: 1)).first
            let after = try await firstWindow(after: window, category: category)
            return DailyFeed(window: window,
                             papers: ranked.map { RankedPaper(paper: $0.paper, score: $0.score, siteUpvotes: votes[$0.paper.id] ?? 0) },
                             previous: before?.published.map { DayWindow(containing: $0, span: window.span) },
                             next: after)
        }
    }

    /// The next window after `window` holding a paper, looking a few windows ahead (a
    /// weekend or a holiday), not through the whole future.
    private func firstWindow(after window: DayWindow, category: String?) async throws -> DayWindow? {
        var candidate = window.next
        for _ in 0..<7 {
            if candidate.start > clock() { return nil }
            let found = try await store.papers(matching: PaperQuery(since: candidate.start, until: candidate.end,
                                                                    category: category, limit: 1))
            if !found.isEmpty { return candidate }
            candidate = candidate.next
        }
        return nil
    }

    /// Papers of the last `trendingDays` days before the anchor, hottest first.
    public func trending(category: String? = nil) async throws -> [RankedPaper] {
        try await feeds.value(for: "trending \(category ?? "")", lifetime: Self.feedLifetime) { [self] in
            guard let newest = try await store.papers(matching: PaperQuery(category: category, limit: 1)).first?.published else {
                return []
            }
            let anchor = min(clock(), newest.addingTimeInterval(86_400))
            let since = anchor.addingTimeInterval(-Double(Self.trendingDays) * 86_400)
            let papers = try await store.papers(matching: PaperQuery(since: since, category: category, limit: Self.feedDepth))
            let votes = try await store.upvoteCounts(for: papers.map(\.id))
            return TrendingScore(now: anchor).ranked(papers, siteUpvotes: votes)
                .map { RankedPaper(paper: $0.paper, score: $0.score, siteUpvotes: votes[$0.paper.id] ?? 0) }
        }
    }

    // MARK: Papers

    public func paper(_ id: PaperID) async throws -> RankedPaper? {
        guard let paper = try await store.paper(id: id) else { return nil }
        let votes = try await store.upvoteCounts(for: [paper.id])
        return RankedPaper(paper: paper, score: 0, siteUpvotes: votes[paper.id] ?? 0)
    }

    /// Records one reader's vote (once per `voter`); the paper's site votes after it, nil
    /// when there is no such paper. Feeds pick the vote up when their cache next refreshes.
    public func upvote(_ id: PaperID, voter: String) async throws -> Int? {
        try await store.addUpvote(to: id, voter: voter)
    }

    public func statistics() async throws -> StoreStatistics {
        try await store.statistics()
    }
}

/// A paper as a feed shows it: with its feed score and this site's votes.
public struct RankedPaper: Sendable {
    public var paper: Paper
    public var score: Double
    public var siteUpvotes: Int

    /// Hugging Face's votes plus this site's.
    public var upvotes: Int { (paper.upvotes ?? 0) + siteUpvotes }
}

/// One page of the daily feed.
public struct DailyFeed: Sendable {
    public var window: DayWindow
    public var papers: [RankedPaper]
    public var previous: DayWindow?
    public var next: DayWindow?
}
