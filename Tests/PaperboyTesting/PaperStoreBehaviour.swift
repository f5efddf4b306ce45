import Foundation
import PaperboyCore
import Testing

/// What every `PaperStore` does, written once and run against each implementation (SQLite now,
/// PostgreSQL later): each function takes a fresh, empty store and records issues through
/// Swift Testing. A store's test suite runs them all with
/// `@Test(arguments: PaperStoreBehaviour.all.map(\.name))`.
public enum PaperStoreBehaviour {
    /// Every behaviour by name, so a new one runs against every store without touching the
    /// stores' test files.
    public static let all: [(name: String, check: @Sendable (any PaperStore) async throws -> Void)] = [
        ("insertThenFetchRoundTripsEveryField", insertThenFetchRoundTripsEveryField),
        ("identicalReupsertIsUnchanged", identicalReupsertIsUnchanged),
        ("newerVersionUpdates", newerVersionUpdates),
        ("olderVersionFillsMissingFieldsButKeepsNewerText", olderVersionFillsMissingFieldsButKeepsNewerText),
        ("richerRecordUpdates", richerRecordUpdates),
        ("titleOnlyPaperMergesIntoArxivPaper", titleOnlyPaperMergesIntoArxivPaper),
        ("doiOnlyPaperMergesIntoArxivPaperWithSameDOI", doiOnlyPaperMergesIntoArxivPaperWithSameDOI),
        ("arxivPapersWithSameTitleStayApart", arxivPapersWithSameTitleStayApart),
        ("duplicatesInsideOneBatchCountAsIfUpsertedOneByOne", duplicatesInsideOneBatchCountAsIfUpsertedOneByOne),
        ("mergeOrderDoesNotMatter", mergeOrderDoesNotMatter),
        ("failingBatchWritesNothing", failingBatchWritesNothing),
        ("queryFiltersBySinceAndLimitNewestFirst", queryFiltersBySinceAndLimitNewestFirst),
        ("categoryMatchesCrossListsAndArchives", categoryMatchesCrossListsAndArchives),
        ("categoryFilterFollowsNewVersionsAndMerges", categoryFilterFollowsNewVersionsAndMerges),
        ("statisticsCountPapersSourcesCategoriesAndDates", statisticsCountPapersSourcesCategoriesAndDates),
        // Embedding vectors (`PaperStoreBehaviour+Vectors.swift`).
        ("vectorsRoundTripBitExactly", vectorsRoundTripBitExactly),
        ("paperNeedsVectorUntilSaved", paperNeedsVectorUntilSaved),
        ("textChangeMakesVectorStale", textChangeMakesVectorStale),
        ("mergeLeavesNoOrphanVector", mergeLeavesNoOrphanVector),
        ("vectorOfUnknownPaperIsSkipped", vectorOfUnknownPaperIsSkipped),
        ("failingVectorBatchWritesNothing", failingVectorBatchWritesNothing),
        ("vectorPagingCoversEveryVectorOnce", vectorPagingCoversEveryVectorOnce),
        ("savedVectorsAreFollowedFromTheSequence", savedVectorsAreFollowedFromTheSequence),
        // Votes, time windows and batched reads (`PaperStoreBehaviour+Votes.swift`).
        ("votesCountOncePerVoter", votesCountOncePerVoter),
        ("votesFollowTheirPaperToAStrongerID", votesFollowTheirPaperToAStrongerID),
        ("queryWindowIsSinceInclusiveUntilExclusive", queryWindowIsSinceInclusiveUntilExclusive),
        ("papersByIDMatchPaperByID", papersByIDMatchPaperByID),
        // Harvest cursors and locks (`PaperStoreBehaviour+Harvest.swift`).
        ("harvestCursorIsStoredWithItsPageAndKeptPerSourceAndSet", harvestCursorIsStoredWithItsPageAndKeptPerSourceAndSet),
        ("refusedPageWritesNeitherPapersNorCursor", refusedPageWritesNeitherPapersNorCursor),
        ("emptyPageAdvancesCursorWithoutMovingGeneration", emptyPageAdvancesCursorWithoutMovingGeneration),
        ("lockHasOneHolderUntilReleased", lockHasOneHolderUntilReleased),
    ]

    /// Runs the behaviour called `name`.
    public static func run(_ name: String, on store: any PaperStore) async throws {
        guard let behaviour = all.first(where: { $0.name == name }) else {
            Issue.record("no store behaviour named \(name)")
            return
        }
        try await behaviour.check(store)
    }

    // MARK: - Writing and reading one paper

    /// Every field comes back as written; dates come back to the second.
    public static func insertThenFetchRoundTripsEveryField(_ store: any PaperStore) async throws {
        let paper = SamplePapers.everyField
        #expect(try await store.upsert([paper]) == UpsertCounts(inserted: 1))
        let fetched = try await store.paper(id: paper.id)
        #expect(fetched.map(toTheSecond) == toTheSecond(paper))
        #expect(try await store.paper(id: SamplePapers.arxivID("2401.99999")) == nil)
    }

    /// Upserting the same record again changes nothing.
    public static func identicalReupsertIsUnchanged(_ store: any PaperStore) async throws {
        let papers = [SamplePapers.everyField, SamplePapers.arxiv("1706.03762")]
        #expect(try await store.upsert(papers) == UpsertCounts(inserted: 2))
        #expect(try await store.upsert(papers) == UpsertCounts(unchanged: 2))
        #expect(try await store.upsert(papers.reversed()) == UpsertCounts(unchanged: 2))
    }

    /// A newer arXiv version replaces the versioned text.
    public static func newerVersionUpdates(_ store: any PaperStore) async throws {
        let v1 = SamplePapers.arxiv("1706.03762", version: 1, abstract: "First version.")
        let v5 = SamplePapers.arxiv("1706.03762", version: 5, title: "Attention Is All You Need (revised)", abstract: "Fifth version.")
        #expect(try await store.upsert([v1]) == UpsertCounts(inserted: 1))
        #expect(try await store.upsert([v5]) == UpsertCounts(updated: 1))
        let stored = try await store.paper(id: v1.id)
        #expect(stored?.version == 5)
        #expect(stored?.title == v5.title)
        #expect(stored?.abstract == "Fifth version.")
    }

    /// An older version never overwrites newer text, but it fills fields the stored record
    /// lacks (here upvotes and a code link), and that counts as an update.
    public static func olderVersionFillsMissingFieldsButKeepsNewerText(_ store: any PaperStore) async throws {
        let v2 = SamplePapers.arxiv("1706.03762", version: 2, abstract: "Second version.")
        var v1 = SamplePapers.arxiv("1706.03762", version: 1, abstract: "First version.", source: .hfDaily)
        v1.upvotes = 42
        v1.links.code = "https://github.com/tensorflow/tensor2tensor"
        #expect(try await store.upsert([v2]) == UpsertCounts(inserted: 1))
        #expect(try await store.upsert([v1]) == UpsertCounts(updated: 1))
        let stored = try await store.paper(id: v2.id)
        #expect(stored?.abstract == "Second version.")
        #expect(stored?.version == 2)
        #expect(stored?.upvotes == 42)
        #expect(stored?.links.code == "https://github.com/tensorflow/tensor2tensor")
        #expect(stored?.sources == [.arxivAPI, .hfDaily])
        #expect(try await store.upsert([v1, v2]) == UpsertCounts(unchanged: 2))
    }

    /// A record that knows more about a paper (abstract, authors, categories, DOI) adds it.
    public static func richerRecordUpdates(_ store: any PaperStore) async throws {
        let bare = Paper(id: SamplePapers.arxivID("1706.03762"), title: "Attention Is All You Need", sources: [.arxivAPI])
        let rich = SamplePapers.arxiv("1706.03762", doi: "10.48550/arXiv.1706.03762")
        #expect(try await store.upsert([bare]) == UpsertCounts(inserted: 1))
        #expect(try await store.upsert([rich]) == UpsertCounts(updated: 1))
        let stored = try await store.paper(id: bare.id)
        #expect(stored?.abstract == rich.abstract)
        #expect(stored?.authors == rich.authors)
        #expect(stored?.categories == rich.categories)
        #expect(stored?.doi == "10.48550/arxiv.1706.03762")
        #expect(try await store.upsert([bare]) == UpsertCounts(unchanged: 1))
    }

    // MARK: - Recognizing the same paper

    /// A paper first seen by title only (a Hugging Face page) and then with its arXiv id
    /// becomes one paper under the arXiv id; the title id still finds it.
    public static func titleOnlyPaperMergesIntoArxivPaper(_ store: any PaperStore) async throws {
        let page = SamplePapers.titleOnly("Attention is all you need!", abstract: "From the page.", upvotes: 99)
        let arxiv = SamplePapers.arxiv("1706.03762")
        #expect(try await store.upsert([page]) == UpsertCounts(inserted: 1))
        #expect(try await store.upsert([arxiv]) == UpsertCounts(updated: 1))
        let merged = try await store.paper(id: arxiv.id)
        #expect(merged?.id == arxiv.id)
        #expect(merged?.upvotes == 99)
        #expect(merged?.abstract == arxiv.abstract)
        #expect(try await store.paper(id: page.id)?.id == arxiv.id)
        #expect(try await store.statistics().papers == 1)
        #expect(try await store.upsert([page, arxiv]) == UpsertCounts(unchanged: 2))
    }

    /// A paper known by DOI only and an arXiv record carrying the same DOI (in another
    /// spelling) are one paper under the arXiv id; the DOI id still finds it.
    public static func doiOnlyPaperMergesIntoArxivPaperWithSameDOI(_ store: any PaperStore) async throws {
        let journal = SamplePapers.doiOnly("10.1103/PhysRevD.76.013009", title: "Prompt diphoton production",
                                           journalRef: "Phys.Rev.D76:013009,2007")
        let arxiv = SamplePapers.arxiv("0704.0001", title: "Calculation of prompt diphoton production cross sections",
                                       doi: "https://doi.org/10.1103/physrevd.76.013009")
        #expect(try await store.upsert([journal]) == UpsertCounts(inserted: 1))
        #expect(try await store.upsert([arxiv]) == UpsertCounts(updated: 1))
        let merged = try await store.paper(id: journal.id)
        #expect(merged?.id == arxiv.id)
        #expect(merged?.journalRef == "Phys.Rev.D76:013009,2007")
        #expect(merged?.title == arxiv.title)
        #expect(try await store.statistics().papers == 1)
    }

    /// Two papers with different arXiv ids are two papers, whatever their titles or DOIs say.
    public static func arxivPapersWithSameTitleStayApart(_ store: any PaperStore) async throws {
        let first = SamplePapers.arxiv("2101.00001", title: "A Survey of Transformers", doi: "10.5555/shared")
        let second = SamplePapers.arxiv("2102.00002", title: "A survey of transformers.", doi: "10.5555/shared")
        #expect(try await store.upsert([first, second]) == UpsertCounts(inserted: 2))
        #expect(try await store.paper(id: first.id)?.id == first.id)
        #expect(try await store.paper(id: second.id)?.id == second.id)
        #expect(try await store.statistics().papers == 2)
    }

    /// A batch that repeats a paper, and merges within itself, counts and stores exactly what
    /// upserting its papers one by one would.
    public static func duplicatesInsideOneBatchCountAsIfUpsertedOneByOne(_ store: any PaperStore) async throws {
        let v1 = SamplePapers.arxiv("1706.03762", version: 1, abstract: "First version.")
        let v2 = SamplePapers.arxiv("1706.03762", version: 2, abstract: "Second version.")
        let page = SamplePapers.titleOnly("BERT: Pre-training of Deep Bidirectional Transformers", upvotes: 7)
        let bert = SamplePapers.arxiv("1810.04805", title: "BERT: Pre-training of Deep Bidirectional Transformers")
        let counts = try await store.upsert([v1, v1, v2, v1, page, bert, page])
        #expect(counts == UpsertCounts(inserted: 2, updated: 2, unchanged: 3))
        #expect(try await store.paper(id: v1.id)?.abstract == "Second version.")
        #expect(try await store.paper(id: page.id)?.id == bert.id)
        #expect(try await store.paper(id: bert.id)?.upvotes == 7)
        #expect(try await store.statistics().papers == 2)
    }

    /// Importing two records of one paper in either order gives the same stored paper, and
    /// importing both again changes nothing. Both orders run in the same store, on two papers
    /// that differ only in their identifiers.
    public static func mergeOrderDoesNotMatter(_ store: any PaperStore) async throws {
        func records(_ number: Int) -> (api: Paper, page: Paper, journal: Paper) {
            let id = "2301.0000\(number)", doi = "10.5555/order.\(number)"
            let api = SamplePapers.arxiv(id, version: 2, abstract: "Version two.", doi: doi)
            var page = SamplePapers.arxiv(id, version: 1, abstract: "Version one.", source: .hfPage)
            page.upvotes = 12
            page.links.code = "https://github.com/example/order"
            let journal = SamplePapers.doiOnly(doi, title: "Attention is all you need", journalRef: "NeurIPS 2017")
            return (api, page, journal)
        }
        let first = records(1), second = records(2)
        _ = try await store.upsert([first.journal, first.api, first.page])
        _ = try await store.upsert([second.page, second.api])
        _ = try await store.upsert([second.journal])
        let a = try await store.paper(id: first.api.id), b = try await store.paper(id: second.api.id)
        #expect(a.map { renamed($0, like: second.api) } == b)
        #expect(try await store.paper(id: first.journal.id)?.id == first.api.id)
        #expect(try await store.paper(id: second.journal.id)?.id == second.api.id)
        let all = [first.api, first.page, first.journal, second.api, second.page, second.journal]
        #expect(try await store.upsert(all) == UpsertCounts(unchanged: 6))
        #expect(try await store.upsert(all.reversed()) == UpsertCounts(unchanged: 6))
    }

    /// A batch holding an invalid paper fails as a whole: the papers before it, even ones that
    /// would update stored papers, are not written.
    public static func failingBatchWritesNothing(_ store: any PaperStore) async throws {
        let stored = SamplePapers.arxiv("1706.03762", version: 1)
        _ = try await store.upsert([stored])
        let invalid = Paper(id: SamplePapers.arxivID("2401.00003"), title: "", sources: [.arxivAPI])
        let batch = [SamplePapers.arxiv("2401.00001"), SamplePapers.arxiv("1706.03762", version: 2, abstract: "New."), invalid,
                     SamplePapers.arxiv("2401.00004")]
        await #expect(throws: PaperboyError.self) { try await store.upsert(batch) }
        #expect(try await store.paper(id: SamplePapers.arxivID("2401.00001")) == nil)
        #expect(try await store.paper(id: SamplePapers.arxivID("2401.00004")) == nil)
        #expect(try await store.paper(id: stored.id).map(toTheSecond) == toTheSecond(stored))
        #expect(try await store.statistics().papers == 1)
        // The store still works after the failed batch.
        #expect(try await store.upsert([SamplePapers.arxiv("2401.00001")]) == UpsertCounts(inserted: 1))
    }

    // MARK: - Listing

    /// Newest published first, undated papers last; `since` and `limit` cut the list.
    public static func queryFiltersBySinceAndLimitNewestFirst(_ store: any PaperStore) async throws {
        let days = ["2024-03-01T10:00:00", "2024-03-02T10:00:00", "2024-03-03T10:00:00", "2024-03-04T10:00:00"]
        var papers = days.enumerated().map { SamplePapers.arxiv("2403.0000\($0.offset + 1)", published: SamplePapers.date($0.element)) }
        papers.append(SamplePapers.arxiv("2403.00009", published: nil))
        _ = try await store.upsert(papers.shuffled())
        func ids(_ query: PaperQuery) async throws -> [String] {
            try await store.papers(matching: query).map(\.id.rawValue)
        }
        #expect(try await ids(PaperQuery(limit: 10)) == ["2403.00004", "2403.00003", "2403.00002", "2403.00001", "2403.00009"])
        #expect(try await ids(PaperQuery(since: SamplePapers.date("2024-03-02T10:00:00"), limit: 10))
                == ["2403.00004", "2403.00003", "2403.00002"])
        #expect(try await ids(PaperQuery(since: SamplePapers.date("2024-03-02T10:00:01"), limit: 10)) == ["2403.00004", "2403.00003"])
        #expect(try await ids(PaperQuery(limit: 2)) == ["2403.00004", "2403.00003"])
        #expect(try await ids(PaperQuery(since: SamplePapers.date("2025-01-01T00:00:00"))).isEmpty)
    }

    /// A category matches primary and cross-listed categories; a bare archive (`cs`, `math`)
    /// matches every category in it, but a partial name (`cs.C`) matches nothing.
    public static func categoryMatchesCrossListsAndArchives(_ store: any PaperStore) async throws {
        _ = try await store.upsert([
            SamplePapers.arxiv("2401.00001", categories: ["cs.CL", "cs.LG"], published: SamplePapers.date("2024-01-01T00:00:00")),
            SamplePapers.arxiv("2401.00002", categories: ["stat.ML", "cs.LG"], published: SamplePapers.date("2024-01-02T00:00:00")),
            SamplePapers.arxiv("2401.00003", categories: ["math.GT"], published: SamplePapers.date("2024-01-03T00:00:00")),
            SamplePapers.arxiv("hep-th/9901001", categories: ["hep-th"], published: SamplePapers.date("1999-01-04T00:00:00")),
            SamplePapers.arxiv("2401.00005", categories: ["cs.CV"], published: SamplePapers.date("2024-01-05T00:00:00")),
        ])
        func ids(_ category: String, limit: Int = 20) async throws -> [String] {
            try await store.papers(matching: PaperQuery(category: category, limit: limit)).map(\.id.rawValue)
        }
        #expect(try await ids("cs.LG") == ["2401.00002", "2401.00001"])
        #expect(try await ids("cs") == ["2401.00005", "2401.00002", "2401.00001"])
        #expect(try await ids("cs", limit: 1) == ["2401.00005"])
        #expect(try await ids("stat") == ["2401.00002"])
        #expect(try await ids("math") == ["2401.00003"])
        #expect(try await ids("hep-th") == ["hep-th/9901001"])
        #expect(try await ids("cs.C").isEmpty)
        #expect(try await ids("c").isEmpty)
        let recentCS = try await store.papers(matching: PaperQuery(since: SamplePapers.date("2024-01-02T00:00:00"), category: "cs"))
        #expect(recentCS.map(\.id.rawValue) == ["2401.00005", "2401.00002"])
    }

    /// The category filter sees a paper's current categories, under its current id.
    public static func categoryFilterFollowsNewVersionsAndMerges(_ store: any PaperStore) async throws {
        let title = "Scaling Laws for Neural Language Models"
        _ = try await store.upsert([SamplePapers.titleOnly(title, upvotes: 3)])
        _ = try await store.upsert([SamplePapers.arxiv("2001.08361", version: 1, title: title, categories: ["cs.LG", "stat.ML"])])
        func ids(_ category: String) async throws -> [String] {
            try await store.papers(matching: PaperQuery(category: category)).map(\.id.rawValue)
        }
        #expect(try await ids("stat.ML") == ["2001.08361"])
        _ = try await store.upsert([SamplePapers.arxiv("2001.08361", version: 2, title: title, categories: ["cs.CL", "cs.LG"])])
        #expect(try await ids("stat.ML").isEmpty)
        #expect(try await ids("stat").isEmpty)
        #expect(try await ids("cs.CL") == ["2001.08361"])
        #expect(try await store.papers(matching: PaperQuery(category: "cs")).map(\.upvotes) == [3])
    }

    /// Statistics count papers, papers per source, the largest primary categories and the
    /// span of publication dates.
    public static func statisticsCountPapersSourcesCategoriesAndDates(_ store: any PaperStore) async throws {
        let empty = try await store.statistics()
        #expect(empty.papers == 0)
        #expect(empty.topCategories.isEmpty)
        #expect(empty.earliestPublished == nil)
        var shared = SamplePapers.arxiv("2401.00002", categories: ["cs.CL"], published: SamplePapers.date("2024-02-01T12:00:00"))
        shared.sources = [.arxivAPI, .hfPage]
        _ = try await store.upsert([
            SamplePapers.arxiv("2401.00001", categories: ["cs.CL", "math.GT"], published: SamplePapers.date("2024-01-01T08:30:15")),
            shared,
            SamplePapers.arxiv("2401.00003", categories: ["math.GT"], published: SamplePapers.date("2024-03-01T00:00:00"), source: .hfDaily),
            SamplePapers.titleOnly("An undated paper without categories"),
        ])
        let statistics = try await store.statistics()
        #expect(statistics.papers == 4)
        #expect(statistics.papersBySource == ["arxiv-api": 2, "hf-page": 2, "hf-daily": 1])
        #expect(statistics.topCategories == [CategoryCount(category: "cs.CL", papers: 2), CategoryCount(category: "math.GT", papers: 1)])
        #expect(statistics.earliestPublished == SamplePapers.date("2024-01-01T08:30:15"))
        #expect(statistics.latestPublished == SamplePapers.date("2024-03-01T00:00:00"))
    }

    // MARK: - Helpers

    /// `paper` with its dates cut to the whole second, the precision stores keep.
    public static func toTheSecond(_ paper: Paper) -> Paper {
        var paper = paper
        paper.published = paper.published.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
        paper.updated = paper.updated.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
        return paper
    }

    /// `paper` with the identifiers and links of `other`, to compare two papers that differ
    /// only in who they are.
    private static func renamed(_ paper: Paper, like other: Paper) -> Paper {
        var paper = paper
        paper.id = other.id
        paper.doi = other.doi
        paper.links.abstract = other.links.abstract
        paper.links.pdf = other.links.pdf
        return paper
    }
}
