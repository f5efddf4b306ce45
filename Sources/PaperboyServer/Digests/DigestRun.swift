import Foundation
import Logging
import Mailer
import PaperboyCore

/// What one pass of `DigestRun` did.
public struct DigestRunReport: Sendable, Hashable {
    /// Digests recorded in the outbox (a recomposition after a crash counts once, as enqueued).
    public var enqueued = 0
    /// Due periods with nothing new: recorded as composed, nothing sent.
    public var empty = 0
    /// Subscriptions whose digest could not be composed (an address the mailer refuses).
    public var failed = 0

    public init(enqueued: Int = 0, empty: Int = 0, failed: Int = 0) {
        self.enqueued = enqueued
        self.empty = empty
        self.failed = failed
    }
}

/// One pass over the subscriptions due now: compose each digest, record it in the outbox,
/// then record its period, holding the store's `digests` lock so two nodes never compose at
/// once.
///
/// The order makes a crash harmless: the outbox keeps one message per key
/// (`digest:<subscription>:<period>`), so a digest enqueued before a crash and composed
/// again after it is recorded once; and a period is marked composed only after its digest is
/// safely in the outbox, so a crash between the two never skips it. Delivery is the outbox
/// sender's business.
public struct DigestRun: Sendable {
    public typealias Store = PaperStore & SubscriptionStore & OutboxStore

    let store: any Store
    let sources: any DigestSources
    let composer: DigestComposer
    let logger: Logger
    /// Subscriptions read from the store at a time.
    static let batch = 256

    public init(store: any Store, sources: any DigestSources, composer: DigestComposer,
                logger: Logger = Logger(label: "paperboy.digests")) {
        self.store = store
        self.sources = sources
        self.composer = composer
        self.logger = logger
    }

    /// Composes every digest due at `now`; nil, doing nothing, when another run holds the lock.
    public func run(at now: Date) async throws -> DigestRunReport? {
        try await store.whileHolding("digests") {
            var report = DigestRunReport()
            var seen = Set<SubscriptionID>()
            // The map's rising topics are the same for every subscriber: read once per run.
            var rising: [DigestRisingTopic]?
            while true {
                let due = try await store.dueSubscriptions(at: now, limit: Self.batch).filter { !seen.contains($0.id) }
                if due.isEmpty { break }
                for subscription in due {
                    seen.insert(subscription.id)
                    try await compose(subscription, at: now, rising: &rising, into: &report)
                }
            }
            return report
        }
    }

    private func compose(_ subscription: Subscription, at now: Date, rising cache: inout [DigestRisingTopic]?,
                         into report: inout DigestRunReport) async throws {
        guard let due = subscription.duePeriod(at: now) else { return }
        let sections = try await self.sections(for: subscription, due: due, at: now)
        let rising = try await risingTopics(for: subscription, cache: &cache)
        let message: MailMessage?
        do {
            message = try composer.digest(for: subscription, period: due, sections: sections, rising: rising, at: now)
        } catch {
            // The address passed the store's check but not the mailer's: skip this period
            // rather than retry it every minute.
            logger.error("cannot compose a digest", metadata: ["subscription": "\(subscription.id)", "error": "\(error)"])
            report.failed += 1
            try await store.recordDigest(subscription.id, period: due.period, at: now)
            return
        }
        if let message {
            let key = DigestComposer.outboxKey(subscription.id, due.period)
            report.enqueued += try await store.enqueue([DigestComposer.draft(message, key: key)], at: now)
        } else {
            report.empty += 1
        }
        try await store.recordDigest(subscription.id, period: due.period, at: now)
    }

    /// The map's rising topics, for subscriptions that asked for what is trending: a rising
    /// topic is the field's trend, as trending papers are its hot papers.
    /// `cache` holds them once read, for the run's other subscribers.
    func risingTopics(for subscription: Subscription, cache: inout [DigestRisingTopic]?) async throws -> [DigestRisingTopic] {
        guard subscription.options.includesTrending else { return [] }
        if let cache { return cache }
        let topics = try await sources.risingTopics(limit: DigestRisingBody.limit, papersEach: DigestRisingBody.papersEach)
        cache = topics
        return topics
    }

    /// The sections a subscription asked for, over what is new since its last digest (or one
    /// period back, for the first).
    func sections(for subscription: Subscription, due: DuePeriod, at now: Date) async throws -> [DigestSection] {
        let length: TimeInterval = subscription.options.frequency == .daily ? 86_400 : 7 * 86_400
        let since = subscription.lastDigestAt ?? due.scheduledAt.addingTimeInterval(-length)
        let limit = DigestComposer.sectionLimit
        var sections: [DigestSection] = []
        let options = subscription.options
        if options.includesTrending {
            let papers = try await sources.trending(since: since, until: now, limit: limit)
            sections.append(DigestSection(kind: .trending, entries: papers.map { DigestEntry(paper: $0) }))
        }
        if options.includesRecommendations, let reader = subscription.reader {
            for (tag, entries) in try await sources.recommendations(for: reader, perTag: limit) {
                sections.append(DigestSection(kind: .tag(tag), entries: entries))
            }
        }
        for query in options.savedSearches {
            let papers = try await sources.searchHits(query, since: since, until: now, limit: limit)
            sections.append(DigestSection(kind: .search(query), entries: papers.map { DigestEntry(paper: $0) }))
        }
        return sections
    }
}
