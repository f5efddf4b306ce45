import Foundation
import PaperboyCore
import Testing

/// What every store does with harvest cursors and locks: a cursor commits with its page of
/// papers or not at all, and a lock has one holder at a time.
extension PaperStoreBehaviour {
    /// No cursor before the first page; each page's cursor is stored with its papers and
    /// replaces the previous one whole; sources and sets keep separate cursors.
    public static func harvestCursorIsStoredWithItsPageAndKeptPerSourceAndSet(_ store: any PaperStore) async throws {
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "cs") == nil)
        let midList = HarvestCursor(source: "arxiv-oai", set: "cs", datestamp: "2024-02-29",
                                    resumptionToken: "6960524|1001", listFrom: "2024-02-29")
        #expect(try await store.upsert(SamplePapers.generated(count: 2), advancing: midList) == UpsertCounts(inserted: 2))
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "cs") == midList)
        #expect(try await store.statistics().papers == 2)

        let listDone = HarvestCursor(source: "arxiv-oai", set: "cs", datestamp: "2024-03-01")
        let lastPage = SamplePapers.generated(count: 1, offset: 2)
        #expect(try await store.upsert(lastPage, advancing: listDone) == UpsertCounts(inserted: 1))
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "cs") == listDone)

        let math = HarvestCursor(source: "arxiv-oai", set: "math", datestamp: "2024-01-15")
        let daily = HarvestCursor(source: "hf-daily", set: "", datestamp: "2024-03-01")
        _ = try await store.upsert([], advancing: math)
        _ = try await store.upsert([], advancing: daily)
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "cs") == listDone)
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "math") == math)
        #expect(try await store.harvestCursor(source: "hf-daily", set: "") == daily)
        #expect(try await store.harvestCursor(source: "hf-daily", set: "cs") == nil)
        #expect(try await store.harvestCursor(source: "arxiv-api", set: "") == nil)
    }

    /// A page holding a paper `upsert(_:)` refuses writes none of its papers and leaves the
    /// previous cursor in place, so the harvest fetches that page again.
    public static func refusedPageWritesNeitherPapersNorCursor(_ store: any PaperStore) async throws {
        let committed = HarvestCursor(source: "arxiv-oai", set: "cs", datestamp: "2024-02-29",
                                      resumptionToken: "6960524|1001", listFrom: "2024-02-29")
        _ = try await store.upsert([SamplePapers.arxiv("1706.03762")], advancing: committed)
        let invalid = Paper(id: SamplePapers.arxivID("2401.00003"), title: "", sources: [.arxivAPI])
        let next = HarvestCursor(source: "arxiv-oai", set: "cs", datestamp: "2024-02-29",
                                 resumptionToken: "6960524|2001", listFrom: "2024-02-29")
        await #expect(throws: PaperboyError.self) {
            try await store.upsert([SamplePapers.arxiv("2401.00001"), invalid], advancing: next)
        }
        #expect(try await store.paper(id: SamplePapers.arxivID("2401.00001")) == nil)
        #expect(try await store.statistics().papers == 1)
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "cs") == committed)
    }

    /// A page without papers (only deleted records) still moves the cursor on; neither it nor
    /// a page of unchanged papers moves the generation, which a page that changes a paper does.
    public static func emptyPageAdvancesCursorWithoutMovingGeneration(_ store: any PaperStore) async throws {
        let papers = SamplePapers.generated(count: 2)
        _ = try await store.upsert(papers)
        let generation = try await store.generation()

        let empty = HarvestCursor(source: "arxiv-oai", set: "cs", resumptionToken: "6960524|1001", listFrom: "2024-02-29")
        #expect(try await store.upsert([], advancing: empty) == UpsertCounts())
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "cs") == empty)
        #expect(try await store.generation() == generation)

        let unchanged = HarvestCursor(source: "arxiv-oai", set: "cs", datestamp: "2024-03-01")
        #expect(try await store.upsert(papers, advancing: unchanged) == UpsertCounts(unchanged: 2))
        #expect(try await store.harvestCursor(source: "arxiv-oai", set: "cs") == unchanged)
        #expect(try await store.generation() == generation)

        let changed = HarvestCursor(source: "arxiv-oai", set: "cs", datestamp: "2024-03-02")
        #expect(try await store.upsert(SamplePapers.generated(count: 1, offset: 2), advancing: changed) == UpsertCounts(inserted: 1))
        #expect(try await store.generation() > generation)
    }

    /// A lock has one holder until released; locks of other names are independent, and
    /// releasing twice does nothing.
    public static func lockHasOneHolderUntilReleased(_ store: any PaperStore) async throws {
        let first = try #require(try await store.lock("harvest"))
        #expect(try await store.lock("harvest") == nil)
        let other = try #require(try await store.lock("digest"))
        await first.release()
        await first.release()
        let second = try #require(try await store.lock("harvest"))
        #expect(try await store.lock("harvest") == nil)
        await second.release()
        await other.release()
    }
}
