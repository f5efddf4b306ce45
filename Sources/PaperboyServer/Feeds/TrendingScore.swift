import Foundation
import PaperboyCore

/// How "hot" a paper is: votes decayed by age, as Hacker News ranks stories.
///
///     score = (upvotes + 1 + signals) / (ageHours + 2) ^ 1.5
///
/// `upvotes` are the Hugging Face daily-papers votes plus this site's own. Every paper starts
/// with one vote, so papers nobody voted for yet rank by recency. `signals` (0 to 0.8) stand
/// in for votes a paper has not had time to get: 0.4 when Hugging Face picked it for its
/// daily list, 0.2 when it links code, 0.2 when more than one kind of source lists it; they
/// order papers of the same age and never outweigh one real vote. A gravity of 1.5 (Hacker
/// News uses 1.8) keeps a well-voted paper up for about a week, the life of a paper on
/// Hugging Face's trending page. Age is counted from `now` to the paper's first publication.
public struct TrendingScore: Sendable {
    public var gravity: Double
    public var now: Date

    public init(now: Date, gravity: Double = 1.5) {
        self.now = now
        self.gravity = gravity
    }

    public func score(_ paper: Paper, siteUpvotes: Int = 0) -> Double {
        let votes = Double(max(0, paper.upvotes ?? 0) + max(0, siteUpvotes))
        let ageHours = max(0, now.timeIntervalSince(paper.published ?? .distantPast) / 3600)
        return (votes + 1 + Self.signals(paper)) / pow(ageHours + 2, gravity)
    }

    /// The vote-like signals of a paper, in 0...0.8.
    public static func signals(_ paper: Paper) -> Double {
        var signal = 0.0
        if paper.sources.contains(.hfDaily) || paper.sources.contains(.hfPage) { signal += 0.4 }
        if paper.links.code != nil { signal += 0.2 }
        if paper.sources.count > 1 { signal += 0.2 }
        return signal
    }

    /// `papers` best first; ties (equal scores) go to the newer paper, then the smaller id,
    /// so a page never reorders between two requests.
    public func ranked(_ papers: [Paper], siteUpvotes: [PaperID: Int] = [:]) -> [(paper: Paper, score: Double)] {
        papers.map { ($0, score($0, siteUpvotes: siteUpvotes[$0.id] ?? 0)) }.sorted { a, b in
            if a.1 != b.1 { return a.1 > b.1 }
            let da = a.0.published ?? .distantPast, db = b.0.published ?? .distantPast
            if da != db { return da > db }
            return a.0.id.rawValue < b.0.id.rawValue
        }.map { (paper: $0.0, score: $0.1) }
    }
}
