import PaperboyCore

/// Papers per week per topic of a `PaperMap`: what the trends page plots and the digest's
/// "Rising this week" lists.
///
/// What is counted, precisely:
/// - every paper on the map once, in its one topic (`topicOfPaper`), in the ISO week
///   (Monday 00:00 UTC to the next Monday) holding its first publication day
///   (`publishedDay`, the paper's `published`, not its last update);
///   a paper whose topic index is not one of the map's topics counts in `outside`;
/// - over the `TrendWeeks` window: `count` weeks ending with the week of the newest paper,
///   or of today when that is earlier;
/// - papers with an unknown date are left out and counted in `undated`; papers dated
///   outside the window (older, or after the anchor) in `outside`;
/// - a topic's share of a week is its count over all the map's papers that week;
/// - the rising score (`RisingScore`) compares the newest complete week with the mean of
///   the weeks before it; a partial newest week is shown but not scored.
public struct TopicTrends: Sendable {
    public let weeks: TrendWeeks
    /// One per topic of the map, in the map's order (largest first).
    public let topics: [TopicTrend]
    /// Papers per week over all topics.
    public let totals: [Int]
    /// Papers without a known publication day, counted nowhere.
    public let undated: Int
    /// Papers dated before or after the window (or in no topic of the map).
    public let outside: Int
    public let scoring: RisingScore

    /// Counts `map` over `weeks`-many weeks, anchored at its newest paper and `today` (days
    /// since 1970-01-01 UTC). Nil when no paper on the map has a date: there is no week to
    /// anchor at.
    public init?(map: PaperMap, today: Int32, weeks count: Int = TrendWeeks.defaultCount,
                 scoring: RisingScore = RisingScore()) {
        guard let newest = map.publishedDay.lazy.filter({ $0 != .min }).max() else { return nil }
        let weeks = TrendWeeks(newestDay: newest, today: today, count: count)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: count), count: map.topics.count)
        var totals = [Int](repeating: 0, count: count)
        var undated = 0
        var outside = 0
        for (paper, day) in map.publishedDay.enumerated() {
            if day == .min { undated += 1; continue }
            let topic = Int(map.topicOfPaper[paper])
            guard let week = weeks.index(of: day), topic < counts.count else { outside += 1; continue }
            counts[topic][week] += 1
            totals[week] += 1
        }
        self.weeks = weeks
        self.totals = totals
        self.undated = undated
        self.outside = outside
        self.scoring = scoring
        topics = map.topics.enumerated().map { index, topic in
            let series = counts[index]
            return TopicTrend(topic: index, label: topic.label, terms: topic.terms, counts: series,
                              shares: zip(series, totals).map { $1 == 0 ? 0 : Double($0) / Double($1) },
                              rise: weeks.scoredWeek.map { scoring.measure(series, week: $0) })
        }
    }

    /// The rising topics, highest score first (ties: more papers this week, then the larger
    /// topic), at most `limit`.
    public func rising(limit: Int = .max) -> [TopicTrend] {
        let rising = topics.filter { $0.rise?.isRising == true }.sorted { a, b in
            let ra = a.rise!, rb = b.rise!
            if ra.score != rb.score { return ra.score > rb.score }
            if ra.count != rb.count { return ra.count > rb.count }
            return a.topic < b.topic
        }
        return Array(rising.prefix(limit))
    }
}

/// One topic's weekly counts over a `TopicTrends` window.
public struct TopicTrend: Sendable, Hashable {
    /// The topic's index in the map's `topics`.
    public let topic: Int
    public let label: String
    public let terms: [String]
    /// Papers per week, oldest first.
    public let counts: [Int]
    /// The topic's share of each week's papers (0 for a week with none).
    public let shares: [Double]
    /// The newest complete week against the weeks before; nil when no week is complete.
    public let rise: Rise?

    /// Papers over the whole window.
    public var total: Int { counts.reduce(0, +) }
}

extension PaperMap {
    /// The ids of the `limit` most recently published papers of `topic`, newest first (ties:
    /// map order); papers without a date come last.
    public func newestPapers(inTopic topic: Int, limit: Int) -> [PaperID] {
        guard limit > 0 else { return [] }
        let members = topicOfPaper.indices.filter { Int(topicOfPaper[$0]) == topic }
        let newest = members.sorted { a, b in
            publishedDay[a] != publishedDay[b] ? publishedDay[a] > publishedDay[b] : a < b
        }
        return newest.prefix(limit).map { ids[$0] }
    }
}
