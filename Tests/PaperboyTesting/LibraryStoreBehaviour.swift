import Foundation
import PaperboyCore
import Testing

/// What every library store does, written once and run against each store: tags that are
/// one whatever their case, saves that count once and follow their paper, removals and
/// renames, and a revision that moves with every change and only then.
public enum LibraryStoreBehaviour {
    public typealias Store = any PaperStore & LibraryStore

    public static let all: [(name: String, check: @Sendable (Store) async throws -> Void)] = [
        ("saving twice is one save", savingTwiceIsOneSave),
        ("tags are one whatever their case", tagsAreOneWhateverTheirCase),
        ("saves follow their paper to a stronger id", savesFollowTheirPaperToAStrongerID),
        ("unknown papers are reported, not saved", unknownPapersAreReportedNotSaved),
        ("a DOI finds the paper that carries it", aDOIFindsThePaperThatCarriesIt),
        ("removing from a tag, from every tag, and a whole tag", removals),
        ("renaming a tag, and onto another tag", renaming),
        ("tag summaries count and date each tag", tagSummaries),
        ("readers' libraries are apart", librariesAreApart),
    ]

    public static func run(_ name: String, on store: Store) async throws {
        guard let behaviour = all.first(where: { $0.name == name }) else {
            Issue.record("no library behaviour named \(name)")
            return
        }
        try await behaviour.check(store)
    }

    public static let start = Date(timeIntervalSince1970: 1_790_000_000)
    public static let ada = ReaderID(rawValue: 1)
    public static let grace = ReaderID(rawValue: 2)

    public static func tag(_ name: String) -> LibraryTag {
        guard let tag = try? LibraryTag(name) else { preconditionFailure("not a tag: \(name)") }
        return tag
    }

    /// (tag, paper) pairs of a library, oldest save first.
    public static func pairs(_ library: ReaderLibrary) -> [String] {
        library.saved.map { "\($0.tag): \($0.paper)" }
    }

    public static func savingTwiceIsOneSave(_ store: Store) async throws {
        let papers = SamplePapers.generated(count: 2)
        _ = try await store.upsert(papers)
        #expect(try await store.library(of: ada).revision == 0)
        let first = try await store.save(papers.map(\.id), under: tag("to read"), for: ada, at: start)
        #expect(first == LibrarySaveOutcome(tag: "to read", papers: papers.map { .added($0.id) }))
        let revision = try await store.library(of: ada).revision
        #expect(revision > 0)

        let again = try await store.save([papers[0].id], under: tag("to read"), for: ada, at: start + 60)
        #expect(again == LibrarySaveOutcome(tag: "to read", papers: [.alreadySaved(papers[0].id)]))
        let library = try await store.library(of: ada)
        #expect(library.revision == revision, "saving what is saved changes nothing")
        #expect(pairs(library) == papers.map { "to read: \($0.id)" })
        #expect(library.saved[0].savedAt == start, "the first save's date stays")
    }

    public static func tagsAreOneWhateverTheirCase(_ store: Store) async throws {
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        _ = try await store.save([papers[0].id], under: tag("  MoE "), for: ada, at: start)
        let outcome = try await store.save([papers[1].id], under: tag("moe"), for: ada, at: start + 1)
        #expect(outcome.tag == "MoE", "the reader's first spelling wins")
        _ = try await store.save([papers[2].id], under: tag("Über"), for: ada, at: start + 2)
        _ = try await store.save([papers[0].id], under: tag("über"), for: ada, at: start + 3)
        let library = try await store.library(of: ada)
        #expect(pairs(library) == ["MoE: \(papers[0].id)", "MoE: \(papers[1].id)", "Über: \(papers[2].id)", "Über: \(papers[0].id)"])
        #expect(library.saved(under: tag("MOE")).map(\.paper) == [papers[1].id, papers[0].id])
    }

    public static func savesFollowTheirPaperToAStrongerID(_ store: Store) async throws {
        let page = SamplePapers.titleOnly("Attention is all you need!", abstract: "From the page.")
        _ = try await store.upsert([page])
        _ = try await store.save([page.id], under: tag("to read"), for: ada, at: start)
        let arxiv = SamplePapers.arxiv("1706.03762")
        _ = try await store.upsert([arxiv])
        #expect(pairs(try await store.library(of: ada)) == ["to read: 1706.03762"])

        // Saved again by the id it had before: the same paper, saved once.
        let again = try await store.save([page.id], under: tag("to read"), for: ada, at: start + 1)
        #expect(again.alreadySaved == [arxiv.id])
        let saved = try await store.save(page.id, under: tag("transformers"), for: ada, at: start + 2)
        #expect(saved == SavedPaper(paper: arxiv.id, tag: "transformers", savedAt: start + 2))
        #expect(try await store.remove(page.id, from: nil, for: ada) == 2)
        #expect(try await store.library(of: ada).saved.isEmpty)
    }

    public static func unknownPapersAreReportedNotSaved(_ store: Store) async throws {
        let papers = SamplePapers.generated(count: 1)
        _ = try await store.upsert(papers)
        let missing = SamplePapers.arxivID("9912.99999")
        let outcome = try await store.save([missing, papers[0].id], under: tag("MoE"), for: ada, at: start)
        #expect(outcome == LibrarySaveOutcome(tag: "MoE", papers: [.unknown(missing), .added(papers[0].id)]))
        let revision = try await store.library(of: ada).revision
        let none = try await store.save([missing], under: tag("empty"), for: ada, at: start)
        #expect(none.added.isEmpty && none.unknown == [missing])
        #expect(try await store.tagSummaries(of: ada).map(\.name) == ["MoE"], "a tag nothing was saved under is not kept")
        #expect(try await store.library(of: ada).revision == revision)
        #expect(try await store.save(missing, under: tag("MoE"), for: ada, at: start) == nil)
    }

    public static func aDOIFindsThePaperThatCarriesIt(_ store: Store) async throws {
        let paper = SamplePapers.arxiv("2401.00001", doi: "10.1000/Journal.ABC")
        _ = try await store.upsert([paper])
        let doi = try #require(PaperID(doi: "https://doi.org/10.1000/journal.abc"))
        let saved = try await store.save(doi, under: tag("journals"), for: ada, at: start)
        #expect(saved?.paper == paper.id)
        #expect(try await store.save(PaperID(doi: "10.1000/other")!, under: tag("journals"), for: ada, at: start) == nil)
    }

    public static func removals(_ store: Store) async throws {
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        _ = try await store.save(papers.map(\.id), under: tag("to read"), for: ada, at: start)
        _ = try await store.save([papers[0].id], under: tag("MoE"), for: ada, at: start + 1)
        var revision = try await store.library(of: ada).revision

        #expect(try await store.remove(papers[1].id, from: tag("TO READ"), for: ada) == 1)
        #expect(try await store.library(of: ada).revision > revision)
        revision = try await store.library(of: ada).revision
        #expect(try await store.remove(papers[1].id, from: tag("to read"), for: ada) == 0)
        #expect(try await store.remove(papers[1].id, from: tag("no such tag"), for: ada) == 0)
        #expect(try await store.library(of: ada).revision == revision, "removing what is not there changes nothing")

        #expect(try await store.remove(papers[0].id, from: nil, for: ada) == 2)
        #expect(pairs(try await store.library(of: ada)) == ["to read: \(papers[2].id)"])
        #expect(try await store.tagSummaries(of: ada).map(\.name) == ["to read"], "a tag whose last paper went is gone")

        revision = try await store.library(of: ada).revision
        #expect(try await store.removeTag(tag("To Read"), for: ada) == 1)
        let emptied = try await store.library(of: ada)
        #expect(emptied.saved.isEmpty && emptied.revision > revision, "an emptied library still has a newer revision")
        #expect(try await store.removeTag(tag("to read"), for: ada) == 0)
    }

    public static func renaming(_ store: Store) async throws {
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        _ = try await store.save([papers[0].id, papers[1].id], under: tag("moe"), for: ada, at: start)
        _ = try await store.save([papers[1].id, papers[2].id], under: tag("Mixture of experts"), for: ada, at: start + 10)
        var revision = try await store.library(of: ada).revision

        #expect(try await store.renameTag(tag("MOE"), to: tag("MoE"), for: ada))
        #expect(try await store.tagSummaries(of: ada).map(\.name) == ["Mixture of experts", "MoE"])
        #expect(try await store.library(of: ada).revision > revision)
        revision = try await store.library(of: ada).revision
        #expect(try await store.renameTag(tag("moe"), to: tag("MoE"), for: ada), "the same spelling again")
        #expect(try await store.library(of: ada).revision == revision)

        // Onto another tag: one tag, each paper once, each with its earliest save.
        #expect(try await store.renameTag(tag("mixture of experts"), to: tag("moe (all)"), for: ada))
        #expect(try await store.renameTag(tag("MoE"), to: tag("MoE (all)"), for: ada))
        let summaries = try await store.tagSummaries(of: ada)
        #expect(summaries == [TagSummary(name: "MoE (all)", count: 3, lastSaved: start + 10)])
        let library = try await store.library(of: ada)
        let dates = Dictionary(uniqueKeysWithValues: library.saved.map { ($0.paper, $0.savedAt) })
        #expect(dates == [papers[0].id: start, papers[1].id: start, papers[2].id: start + 10])
        #expect(try await store.renameTag(tag("no such tag"), to: tag("x"), for: ada) == false)
    }

    public static func tagSummaries(_ store: Store) async throws {
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        _ = try await store.save([papers[0].id], under: tag("to read"), for: ada, at: start)
        _ = try await store.save([papers[1].id], under: tag("to read"), for: ada, at: start + 30)
        _ = try await store.save([papers[2].id], under: tag("agents"), for: ada, at: start + 5)
        _ = try await store.save([papers[0].id], under: tag("Benchmarks"), for: ada, at: start + 7)
        #expect(try await store.tagSummaries(of: ada) == [
            TagSummary(name: "agents", count: 1, lastSaved: start + 5),
            TagSummary(name: "Benchmarks", count: 1, lastSaved: start + 7),
            TagSummary(name: "to read", count: 2, lastSaved: start + 30),
        ])
        #expect(try await store.tagSummaries(of: grace).isEmpty)
    }

    public static func librariesAreApart(_ store: Store) async throws {
        let papers = SamplePapers.generated(count: 2)
        _ = try await store.upsert(papers)
        _ = try await store.save([papers[0].id], under: tag("MoE"), for: ada, at: start)
        _ = try await store.save([papers[1].id], under: tag("moe"), for: grace, at: start)
        let graceRevision = try await store.library(of: grace).revision
        #expect(try await store.removeTag(tag("MoE"), for: ada) == 1)
        #expect(pairs(try await store.library(of: grace)) == ["moe: \(papers[1].id)"])
        #expect(try await store.library(of: grace).revision == graceRevision)
        #expect(try await store.library(of: ada).saved.isEmpty)
    }
}
