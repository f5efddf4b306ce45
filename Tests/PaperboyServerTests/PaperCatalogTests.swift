import Foundation
import PaperboyCore
import PaperboyServer
import Testing

struct PaperCatalogTests {
    /// The default daily page is the day of the newest paper; it holds exactly that day's
    /// papers, hottest first by the documented score, and links to the day before.
    @Test func dailyShowsTheNewestDayHottestFirst() async throws {
        let fixture = try await ServerFixture.shared.value
        let window = try #require(try await fixture.catalog.latestWindow(span: .day))
        let all = try await fixture.store.papers(matching: PaperQuery(limit: 5_000))
        let newest = try #require(all.compactMap(\.published).max())
        #expect(window.contains(newest))
        let feed = try await fixture.catalog.daily(window)
        let expected = all.filter { $0.published.map(window.contains) == true }
        #expect(Set(feed.papers.map(\.paper.id)) == Set(expected.map(\.id)))
        let scorer = TrendingScore(now: min(Date(timeIntervalSince1970: 1_781_308_800), window.end))
        #expect(feed.papers.map(\.paper.id) == scorer.ranked(expected).map(\.paper.id))
        #expect(feed.next == nil)
        let previous = try #require(feed.previous)
        #expect(previous.end <= window.start)
        #expect(try await fixture.catalog.daily(previous).papers.isEmpty == false)
    }

    /// Trending covers the 14 days before its anchor (the newest paper plus a day, or the
    /// clock), hottest first by the documented score.
    @Test func trendingRanksRecentPapersByDecayedVotes() async throws {
        let fixture = try await ServerFixture.shared.value
        let trending = try await fixture.catalog.trending()
        #expect(!trending.isEmpty)
        #expect(trending.map(\.score) == trending.map(\.score).sorted(by: >))
        // Time runs from the newest paper plus a day, or the clock if that is earlier.
        let newest = try #require(try await fixture.store.papers(matching: PaperQuery(limit: 1)).first?.published)
        let anchor = min(Date(timeIntervalSince1970: 1_781_308_800), newest.addingTimeInterval(86_400))
        #expect(trending.map { TrendingScore(now: anchor).score($0.paper) } == trending.map(\.score))
        let oldest = try #require(trending.compactMap(\.paper.published).min())
        #expect(oldest >= anchor.addingTimeInterval(-14 * 86_400))
    }

    /// A vote counts once per voter, shows on the paper, and a vote for nothing is nil.
    @Test func votesCountOncePerVoterAndShowOnThePaper() async throws {
        let fixture = try await ServerFixture.fresh()
        let paper = try #require(try await fixture.catalog.trending().first?.paper)
        #expect(try await fixture.catalog.upvote(paper.id, voter: "reader-1") == 1)
        #expect(try await fixture.catalog.upvote(paper.id, voter: "reader-1") == 1)
        #expect(try await fixture.catalog.upvote(paper.id, voter: "reader-2") == 2)
        let shown = try #require(try await fixture.catalog.paper(paper.id))
        #expect(shown.siteUpvotes == 2 && shown.upvotes == (paper.upvotes ?? 0) + 2)
        #expect(try await fixture.catalog.upvote(PaperID("2601.99999")!, voter: "reader-1") == nil)
    }

    /// Search runs the CLI's ranking path with the form's filters; newest order sorts the
    /// matches by date; a contradiction of filters is an empty page, not an error.
    @Test func searchAppliesFiltersAndOrders() async throws {
        let fixture = try await ServerFixture.shared.value
        let request = SearchRequest(query: "quantum", pageSize: 5)
        let first = try await fixture.catalog.search(request)
        #expect(first.hits.count == 5 && first.hasMore && first.mode == .keyword && first.keywordsOnly)
        var second = request
        second.page = 2
        let next = try await fixture.catalog.search(second)
        #expect(Set(next.hits.map(\.paper.id)).isDisjoint(with: first.hits.map(\.paper.id)))
        var newest = request
        newest.sort = .newest
        let dates = try await fixture.catalog.search(newest).hits.map { $0.paper.published ?? .distantPast }
        #expect(dates == dates.sorted(by: >))
        var filtered = request
        filtered.category = "hep-ph"
        let hits = try await fixture.catalog.search(filtered).hits
        #expect(!hits.isEmpty && hits.allSatisfy { $0.paper.categories.contains("hep-ph") })
        let contradiction = try await fixture.catalog.search(SearchRequest(query: "quantum cat:math", category: "hep-ph"))
        #expect(contradiction.hits.isEmpty && !contradiction.hasMore)
        await #expect(throws: ParameterError.self) {
            try await fixture.catalog.search(SearchRequest(query: "quantum", mode: .semantic))
        }
    }
}
