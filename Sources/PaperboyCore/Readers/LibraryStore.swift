import Foundation

/// Where readers' libraries live: which papers each reader saved under which tags.
///
/// Saves follow their paper: saving by an alias (an id the paper had before a merge
/// strengthened it) stores the paper's current id, and a stored save moves with its paper
/// when the paper's id is strengthened later. A `doi:` id finds the paper carrying that DOI
/// whatever its own id. Every change advances the reader's
/// `ReaderLibrary.revision`, so recommendations retrain when, and only when, it moved; a
/// request that changes nothing (saving twice, removing what is not there) leaves it.
public protocol LibraryStore: Sendable {
    /// Saves each known paper under `tag` (the reader's existing spelling of the tag wins
    /// over the one given), in one transaction. Papers the store does not hold are returned
    /// in `unknown`, never saved.
    func save(_ papers: [PaperID], under tag: LibraryTag, for reader: ReaderID, at now: Date) async throws -> LibrarySaveOutcome
    /// Removes `paper` from `tag`, or from every tag when `tag` is nil; returns how many
    /// saves were removed. A tag whose last paper goes disappears.
    func remove(_ paper: PaperID, from tag: LibraryTag?, for reader: ReaderID) async throws -> Int
    /// Removes a tag and every save under it; returns how many saves went.
    func removeTag(_ tag: LibraryTag, for reader: ReaderID) async throws -> Int
    /// Renames a tag; renaming onto another of the reader's tags merges the two under the
    /// new spelling. Returns false when the reader has no tag `tag`.
    func renameTag(_ tag: LibraryTag, to newName: LibraryTag, for reader: ReaderID) async throws -> Bool
    /// Everything the reader saved, oldest save first, with the library's revision.
    func library(of reader: ReaderID) async throws -> ReaderLibrary
    /// The reader's tags in case-insensitive order of their names.
    func tagSummaries(of reader: ReaderID) async throws -> [TagSummary]
}

extension LibraryStore {
    /// Saves one paper; nil when the store does not hold it.
    public func save(_ paper: PaperID, under tag: LibraryTag, for reader: ReaderID, at now: Date) async throws -> SavedPaper? {
        let outcome = try await save([paper], under: tag, for: reader, at: now)
        guard let id = outcome.added.first ?? outcome.alreadySaved.first else { return nil }
        return SavedPaper(paper: id, tag: outcome.tag, savedAt: now)
    }
}

/// What a save did to each paper asked for, in the order asked.
public struct LibrarySaveOutcome: Sendable, Hashable {
    /// The tag as the reader's library spells it.
    public var tag: String
    /// One answer per paper asked for, in order.
    public var papers: [PaperSave]

    public init(tag: String, papers: [PaperSave]) {
        self.tag = tag
        self.papers = papers
    }

    /// Papers newly saved, by the ids the store holds them under.
    public var added: [PaperID] { papers.compactMap(\.added) }
    /// Papers that were under the tag already.
    public var alreadySaved: [PaperID] { papers.compactMap(\.alreadySaved) }
    /// Ids, as given, that no paper in the store answers to.
    public var unknown: [PaperID] { papers.compactMap(\.unknown) }
}

/// What saving did to one paper.
public enum PaperSave: Sendable, Hashable {
    /// Saved now, under the id the store holds the paper by.
    case added(PaperID)
    /// Saved under the tag before; nothing changed.
    case alreadySaved(PaperID)
    /// No paper in the store answers to the id given.
    case unknown(PaperID)

    var added: PaperID? {
        guard case .added(let id) = self else { return nil }
        return id
    }

    var alreadySaved: PaperID? {
        guard case .alreadySaved(let id) = self else { return nil }
        return id
    }

    var unknown: PaperID? {
        guard case .unknown(let id) = self else { return nil }
        return id
    }
}

/// One of a reader's tags, for the library page.
public struct TagSummary: Sendable, Hashable {
    public var name: String
    public var count: Int
    public var lastSaved: Date

    public init(name: String, count: Int, lastSaved: Date) {
        self.name = name
        self.count = count
        self.lastSaved = lastSaved
    }
}
