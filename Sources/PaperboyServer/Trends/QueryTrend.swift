import Foundation
import PaperboyCore
import PaperMap
import Retrieval
import SearchIndex

/// Papers per week matching a search, for "how much is written about X lately": the trend
/// of a saved search.
///
/// Counted are *keyword* matches: the papers a keyword search for the query would list if it
/// listed them all (words, phrases, fields, `cat:`, `-exclusions`, `since:`/`until:`), not
/// papers near it in meaning, which have no clear edge to count. Each week is one pass of
/// the keyword index over the query's postings, restricted to that week's days by the
/// index's own day column (the paper's first publication day, UTC): exact, with no ranking,
/// no store read and no cap on the number of matches.
public struct QueryTrend: Sendable {
    public var query: String
    public var weeks: TrendWeeks
    /// Matching papers per week, oldest first.
    public var counts: [Int]
    /// The newest complete week against the weeks before it.
    public var rise: Rise?

    public var total: Int { counts.reduce(0, +) }
}

extension PaperCatalog {
    /// Today, as the catalog's clock has it, in days since 1970-01-01 UTC.
    var today: Int32 { TrendWeeks.day(of: clock()) }

    /// Topic trends of the current map, nil when there is no map or no paper on it has a
    /// date.
    public func topicTrends(weeks: Int = TrendWeeks.defaultCount) -> TopicTrends? {
        fieldMap.current.flatMap { TopicTrends(map: $0, today: today, weeks: weeks) }
    }

    /// Weekly keyword matches of `query` over the `weeks` weeks ending with the newest paper
    /// (or today, when earlier). Nil for an empty store. Throws `ParameterError` for a query
    /// that does not parse.
    public func queryTrend(_ query: String, weeks count: Int = TrendWeeks.defaultCount,
                           scoring: RisingScore = RisingScore()) async throws -> QueryTrend? {
        let request = SearchRequest(query: query, mode: .keyword)
        let parsed = try request.parsed()
        guard let newest = try await store.papers(matching: PaperQuery(limit: 1)).first?.published else { return nil }
        let weeks = TrendWeeks(newestDay: TrendWeeks.day(of: newest), today: today, count: count)
        var counts = [Int](repeating: 0, count: count)
        if let parsed, !request.isEmpty {
            let engine = self.engine
            let compiled = engine.keywordIndex.compile(parsed, options: engine.options)
            for (index, monday) in weeks.mondays.enumerated() {
                var first = monday, last = monday + 6
                if let days = compiled.days {
                    first = max(first, days.lowerBound)
                    last = min(last, days.upperBound)
                }
                guard first <= last else { continue }
                counts[index] = engine.keywordIndex.matchingIDs(compiled.query, days: first...last).count
            }
        }
        return QueryTrend(query: query, weeks: weeks, counts: counts,
                          rise: weeks.scoredWeek.map { scoring.measure(counts, week: $0) })
    }
}

extension PaperCatalog {
    /// The `limit` newest papers of topic `topic` on the current map, newest first, as the
    /// store has them now (a paper deleted since the map was made is left out).
    public func newestPapers(inTopic topic: Int, limit: Int) async throws -> [Paper] {
        guard let map = fieldMap.current else { return [] }
        let ids = map.newestPapers(inTopic: topic, limit: limit)
        let found = try await store.papers(ids: ids)
        return ids.compactMap { found[$0] }
    }
}
