import Foundation
import PaperboyCore
import PaperMap
import Retrieval

/// The digest sections from this server's catalog: trending and saved searches on the one
/// ranking path the pages use; recommendations from whatever the server wires in.
public struct CatalogDigestSources: DigestSources {
    public typealias Recommendations = @Sendable (ReaderID, Int) async throws -> [(tag: String, entries: [DigestEntry])]

    let catalog: PaperCatalog
    let recommend: Recommendations

    /// `recommend` gives a reader's recommendations per tag with their reasons (none by default).
    public init(catalog: PaperCatalog, recommendations: @escaping Recommendations = { _, _ in [] }) {
        self.catalog = catalog
        recommend = recommendations
    }

    public func trending(since: Date, until: Date, limit: Int) async throws -> [Paper] {
        try await catalog.trending().lazy.map(\.paper)
            .filter { paper in paper.published.map { $0 >= since && $0 < until } ?? false }
            .prefix(limit).map { $0 }
    }

    public func recommendations(for reader: ReaderID, perTag limit: Int) async throws -> [(tag: String, entries: [DigestEntry])] {
        try await recommend(reader, limit).map { (tag: $0.tag, entries: Array($0.entries.prefix(limit))) }
    }

    public func searchHits(_ query: String, since: Date, until: Date, limit: Int) async throws -> [Paper] {
        let request = SearchRequest(query: query, since: since, until: until, pageSize: limit)
        do {
            return try await catalog.search(request).hits.map(\.paper)
        } catch is ParameterError {
            // A saved search that no longer parses finds nothing rather than stopping the digest.
            return []
        }
    }

    public func risingTopics(limit: Int, papersEach: Int) async throws -> [DigestRisingTopic] {
        guard let trends = catalog.topicTrends(), let week = trends.weeks.scoredWeek else { return [] }
        var topics: [DigestRisingTopic] = []
        for trend in trends.rising(limit: limit) {
            guard let rise = trend.rise else { continue }
            topics.append(DigestRisingTopic(
                topic: trend.topic, label: trend.label, weekOf: TrendWeeks.date(of: trends.weeks.mondays[week]),
                count: rise.count, usual: rise.usual,
                recentCounts: Array(trend.counts[max(0, week - Self.sparklineWeeks + 1)...week]),
                papers: try await catalog.newestPapers(inTopic: trend.topic, limit: papersEach)))
        }
        return topics
    }

    /// Weeks a digest's sparkline shows, ending with the week counted.
    static let sparklineWeeks = 12
}
