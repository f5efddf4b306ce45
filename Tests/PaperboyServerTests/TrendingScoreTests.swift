import Foundation
import PaperboyCore
import PaperboyServer
import Testing

struct TrendingScoreTests {
    static let now = Date(timeIntervalSince1970: 1_781_308_800)  // 2026-06-13T00:00Z

    static func paper(_ id: String, hoursOld: Double, upvotes: Int? = nil, sources: Set<PaperSource> = [.arxivAPI],
                      code: String? = nil) -> Paper {
        Paper(id: PaperID(id)!, title: "Paper \(id)", abstract: "", published: now.addingTimeInterval(-hoursOld * 3600),
              links: Links(code: code), upvotes: upvotes, sources: sources)
    }

    /// The documented formula, to the last bit: (votes + 1 + signals) / (hours + 2)^1.5.
    @Test func scoreIsVotesAndSignalsOverAgeToTheGravity() {
        let score = TrendingScore(now: Self.now)
        let paper = Self.paper("2606.00001", hoursOld: 10, upvotes: 7, sources: [.hfDaily, .arxivAPI], code: "https://github.com/x/y")
        let signals = TrendingScore.signals(paper)
        #expect(abs(signals - 0.8) < 1e-12)
        #expect(score.score(paper, siteUpvotes: 2) == (Double(7 + 2) + 1 + signals) / pow(12, 1.5))
        #expect(TrendingScore.signals(Self.paper("2606.00002", hoursOld: 1)) == 0)
    }

    /// Votes decay: four times the votes do not keep a day-old paper above a fresh one, nor
    /// forty times a week-old one; one vote outweighs every signal at the same age.
    @Test func votesDecayWithAgeAndOutweighSignals() {
        let score = TrendingScore(now: Self.now)
        let fresh = Self.paper("2606.00001", hoursOld: 1, upvotes: 5)
        let dayOld = Self.paper("2606.00002", hoursOld: 25, upvotes: 20)
        let veryOld = Self.paper("2606.00003", hoursOld: 24 * 7, upvotes: 200)
        #expect(score.ranked([veryOld, dayOld, fresh]).map(\.paper.id.rawValue) == ["2606.00001", "2606.00002", "2606.00003"])
        let voted = Self.paper("2606.00004", hoursOld: 5, upvotes: 1)
        let signalled = Self.paper("2606.00005", hoursOld: 5, sources: [.hfDaily, .arxivAPI], code: "https://github.com/a/b")
        #expect(score.ranked([signalled, voted]).first?.paper.id.rawValue == "2606.00004")
    }

    /// Without votes, newer first; at equal age the signals decide, then the id.
    @Test func papersWithoutVotesRankByRecencyThenSignals() {
        let score = TrendingScore(now: Self.now)
        let older = Self.paper("2606.00001", hoursOld: 30, sources: [.hfDaily, .arxivAPI], code: "https://github.com/a/b")
        let newer = Self.paper("2606.00002", hoursOld: 3)
        let sameAgeSignalled = Self.paper("2606.00003", hoursOld: 3, sources: [.hfDaily])
        let sameAgeTie = Self.paper("2606.00000", hoursOld: 3)
        #expect(score.ranked([older, newer, sameAgeTie, sameAgeSignalled]).map(\.paper.id.rawValue)
                == ["2606.00003", "2606.00000", "2606.00002", "2606.00001"])
    }
}
