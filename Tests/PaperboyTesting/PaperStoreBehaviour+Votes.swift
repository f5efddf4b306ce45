import Foundation
import PaperboyCore
import Testing

/// What every store does with readers' votes, windows of publication time and reads of many papers.
extension PaperStoreBehaviour {
    /// One vote per voter and paper; counts come back per paper; a vote for no paper
    /// writes nothing; votes are not paper changes.
    public static func votesCountOncePerVoter(_ store: any PaperStore) async throws {
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        let generation = try await store.generation()
        #expect(try await store.addUpvote(to: papers[0].id, voter: "a") == 1)
        #expect(try await store.addUpvote(to: papers[0].id, voter: "a") == 1)
        #expect(try await store.addUpvote(to: papers[0].id, voter: "b") == 2)
        #expect(try await store.addUpvote(to: papers[2].id, voter: "a") == 1)
        #expect(try await store.addUpvote(to: SamplePapers.arxivID("9912.99999"), voter: "a") == nil)
        #expect(try await store.upvoteCounts(for: papers.map(\.id)) == [papers[0].id: 2, papers[2].id: 1])
        #expect(try await store.upvoteCounts(for: []) == [:])
        #expect(try await store.generation() == generation)
    }

    /// A vote cast on a title-only record follows it when it learns its arXiv id, and the
    /// old id still takes votes for the paper.
    public static func votesFollowTheirPaperToAStrongerID(_ store: any PaperStore) async throws {
        let page = SamplePapers.titleOnly("Attention is all you need!", abstract: "From the page.")
        _ = try await store.upsert([page])
        #expect(try await store.addUpvote(to: page.id, voter: "a") == 1)
        let arxiv = SamplePapers.arxiv("1706.03762")
        _ = try await store.upsert([arxiv])
        #expect(try await store.upvoteCounts(for: [arxiv.id]) == [arxiv.id: 1])
        #expect(try await store.addUpvote(to: page.id, voter: "b") == 2)
    }

    /// `until` is exclusive and combines with `since` and categories: a window of days.
    public static func queryWindowIsSinceInclusiveUntilExclusive(_ store: any PaperStore) async throws {
        let days = ["2024-03-01T10:00:00", "2024-03-02T00:00:00", "2024-03-02T23:59:59", "2024-03-03T00:00:00"]
        _ = try await store.upsert(days.enumerated().map {
            SamplePapers.arxiv("2403.0000\($0.offset + 1)", categories: [$0.offset == 1 ? "math.CO" : "cs.LG"],
                               published: SamplePapers.date($0.element))
        })
        func ids(_ query: PaperQuery) async throws -> [String] {
            try await store.papers(matching: query).map(\.id.rawValue)
        }
        let start = SamplePapers.date("2024-03-02T00:00:00"), end = SamplePapers.date("2024-03-03T00:00:00")
        #expect(try await ids(PaperQuery(since: start, until: end, limit: 10)) == ["2403.00003", "2403.00002"])
        #expect(try await ids(PaperQuery(since: start, until: end, category: "cs", limit: 10)) == ["2403.00003"])
        #expect(try await ids(PaperQuery(until: start, limit: 10)) == ["2403.00001"])
    }

    /// `papers(ids:)` answers what `paper(id:)` answers for each id, aliases included, and
    /// leaves out ids naming no paper.
    public static func papersByIDMatchPaperByID(_ store: any PaperStore) async throws {
        let page = SamplePapers.titleOnly("Attention is all you need!", abstract: "From the page.")
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert([page] + papers)
        let arxiv = SamplePapers.arxiv("1706.03762")
        _ = try await store.upsert([arxiv])
        let missing = SamplePapers.arxivID("9912.99999")
        let ids = [page.id, missing] + papers.map(\.id) + [papers[0].id]
        let found = try await store.papers(ids: ids)
        #expect(found.count == 4)
        #expect(found[missing] == nil)
        #expect(found[page.id]?.id == arxiv.id)
        for id in ids where id != missing {
            #expect(try await found[id] == store.paper(id: id))
        }
        #expect(try await store.papers(ids: []).isEmpty)
    }
}
