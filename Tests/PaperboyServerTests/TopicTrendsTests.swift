import Foundation
import PaperboyCore
import PaperMap
import Testing

/// Counting papers per ISO week per topic, and scoring which topics rise: pure, over maps
/// built by hand.
struct TopicTrendsTests {
    /// Days since 1970 of a `yyyy-mm-dd` day.
    static func day(_ text: String) -> Int32 {
        TrendWeeks.day(of: UTCDay.date(text)!)
    }

    /// A map whose paper `i` is in topic `papers[i].topic`, published on `papers[i].day`.
    static func map(topics labels: [String], papers: [(topic: UInt16, day: Int32)]) -> PaperMap {
        let topics = labels.enumerated().map { index, label in
            MapTopic(label: label, terms: label.split(separator: " ").map(String.init), center: MapPoint(x: 0.5, y: 0.5),
                     papers: papers.filter { Int($0.topic) == index }.count)
        }
        return PaperMap(ids: papers.indices.map { PaperID("2601.\(String(format: "%05d", $0))")! },
                        points: papers.map { _ in MapPoint(x: 0.5, y: 0.5) },
                        topicOfPaper: papers.map(\.topic), publishedDay: papers.map(\.day),
                        topics: topics, model: "test", computedAt: Date(timeIntervalSince1970: 0))
    }

    @Test func weeksStartOnMondayAtMidnightUTC() throws {
        let sunday = TrendWeeks.day(of: try #require(ISO8601DateFormatter().date(from: "2026-11-22T23:59:59Z")))
        let monday = TrendWeeks.day(of: try #require(ISO8601DateFormatter().date(from: "2026-11-23T00:00:00Z")))
        #expect(monday == sunday + 1)
        #expect(TrendWeeks.monday(of: sunday) == Self.day("2026-11-16"))
        #expect(TrendWeeks.monday(of: monday) == Self.day("2026-11-23"))
        // Days before 1970 too (negative numbers): 1969-12-29 was a Monday.
        #expect(TrendWeeks.monday(of: Self.day("1970-01-01")) == Self.day("1969-12-29"))
        #expect(TrendWeeks.monday(of: Self.day("1969-12-28")) == Self.day("1969-12-22"))
    }

    @Test func aPaperCountsInTheWeekOfItsDayAndUndatedOnesAreReported() throws {
        let map = Self.map(topics: ["alpha", "beta"], papers: [
            (0, Self.day("2026-11-22")),  // Sunday: the week of the 16th
            (0, Self.day("2026-11-23")),  // Monday: the week of the 23rd
            (1, Self.day("2026-11-29")),  // the Sunday ending that week
            (1, .min), (0, .min),         // no date
            (1, Self.day("2025-01-06")),  // long before the window
        ])
        // Today is the Monday after: the week of the 23rd is over.
        let trends = try #require(TopicTrends(map: map, today: Self.day("2026-11-30"), weeks: 4))
        #expect(trends.weeks.mondays == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"].map(Self.day))
        #expect(!trends.weeks.latestIsPartial)
        #expect(trends.topics[0].counts == [0, 0, 1, 1])
        #expect(trends.topics[1].counts == [0, 0, 0, 1])
        #expect(trends.totals == [0, 0, 1, 2])
        #expect(trends.topics[1].shares == [0, 0, 0, 0.5])
        #expect(trends.undated == 2)
        #expect(trends.outside == 1)
        #expect(trends.weeks.scoredWeek == 3)
    }

    @Test func theRunningWeekIsPartialAndNotScored() {
        let wednesday = Self.day("2026-11-25")
        let papers: [(topic: UInt16, day: Int32)] = Array(repeating: (0, Self.day("2026-11-17")), count: 6)
            + Array(repeating: (0, wednesday), count: 40)
        let trends = TopicTrends(map: Self.map(topics: ["alpha"], papers: papers), today: wednesday, weeks: 3)!
        #expect(trends.weeks.latestIsPartial)
        #expect(trends.topics[0].counts == [0, 6, 40])
        // Scored: the week of the 16th (6 papers) against the one before it (0), not the running week's 40.
        #expect(trends.weeks.scoredWeek == 1)
        #expect(trends.topics[0].rise == RisingScore().measure([0, 6, 40], week: 1))
        #expect(trends.topics[0].rise?.count == 6)
    }

    @Test func theWindowEndsAtTodayWhenPapersAreDatedLater() {
        let today = Self.day("2026-11-25")
        let map = Self.map(topics: ["alpha"], papers: [(0, today - 1), (0, Self.day("2027-03-01"))])
        let trends = TopicTrends(map: map, today: today, weeks: 2)!
        #expect(trends.weeks.mondays.last == Self.day("2026-11-23"))
        #expect(trends.topics[0].counts == [0, 1])
        #expect(trends.outside == 1)
    }

    @Test func aMapOfUndatedPapersHasNoTrends() {
        #expect(TopicTrends(map: Self.map(topics: ["alpha"], papers: [(0, .min)]), today: 20_000) == nil)
    }

    @Test func theRisingScoreIsSmoothedByThePrior() {
        let score = RisingScore(prior: 3, baselineWeeks: 8, minimumCount: 5)
        let rise = score.measure([20, 20, 20, 20, 20, 20, 20, 20, 60], week: 8)
        #expect(rise.usual == 20)
        #expect(abs(rise.score - 63.0 / 23.0) < 1e-12)
        #expect(rise.isRising)
        // Only the 8 weeks before count as usual: the 100 nine weeks back does not.
        #expect(score.measure([100, 0, 0, 0, 0, 0, 0, 0, 0, 5], week: 9).usual == 0)
        // Fewer papers than the minimum never rise, however steep.
        #expect(!score.measure([0, 0, 4], week: 2).isRising)
        #expect(!score.measure([10, 10, 9], week: 2).isRising, "falling is not rising")
    }

    @Test func risingTopicsAreOrderedByScoreWithSmallOnesHeldBack() {
        let lastMonday = Self.day("2026-11-23")
        var papers: [(topic: UInt16, day: Int32)] = []
        func add(_ topic: UInt16, perWeek before: Int, then now: Int) {
            for week in 1...8 { papers += Array(repeating: (topic, lastMonday - Int32(7 * week)), count: before) }
            papers += Array(repeating: (topic, lastMonday + 2), count: now)
        }
        add(0, perWeek: 20, then: 60)  // (60 + 3) / (20 + 3) ≈ 2.74
        add(1, perWeek: 0, then: 5)    // (5 + 3) / (0 + 3) ≈ 2.67: without the prior it would be infinite and first
        add(2, perWeek: 0, then: 2)    // too few papers
        add(3, perWeek: 1, then: 6)    // (6 + 3) / (1 + 3) = 2.25
        add(4, perWeek: 10, then: 8)   // falling
        let map = Self.map(topics: ["big", "new", "tiny", "small", "falling"], papers: papers)
        let trends = TopicTrends(map: map, today: lastMonday + 7, weeks: 12)!
        #expect(trends.rising().map(\.label) == ["big", "new", "small"])
        #expect(trends.rising(limit: 2).map(\.topic) == [0, 1])
        #expect(trends.topics[2].rise?.score ?? 0 > 1, "tiny rises in score but is held back by the minimum")

        // With a negligible prior the new topic's 5-from-nothing jumps to the top.
        let raw = TopicTrends(map: map, today: lastMonday + 7, weeks: 12, scoring: RisingScore(prior: 0.001))!
        #expect(raw.rising().first?.label == "new")
    }

    @Test func newestPapersOfATopicComeFirst() {
        let map = Self.map(topics: ["a", "b"], papers: [(0, 10), (1, 30), (0, 30), (0, .min), (0, 20)])
        #expect(map.newestPapers(inTopic: 0, limit: 3) == [map.ids[2], map.ids[4], map.ids[0]])
        #expect(map.newestPapers(inTopic: 1, limit: 5) == [map.ids[1]])
        #expect(map.newestPapers(inTopic: 7, limit: 5).isEmpty)
    }
}
