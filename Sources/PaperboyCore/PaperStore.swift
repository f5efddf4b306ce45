import Foundation

/// The source of truth for papers. SQLite (embedded) and PostgreSQL (several nodes)
/// implement it; every index is derived from it and can be rebuilt from it.
///
/// Behaviour every implementation shares (tested once, run against each store):
/// - `upsert` merges each paper into the record for the same paper (same id, same DOI, or the
///   same normalized title when either side has no arXiv id or DOI) using `Paper.merged(with:)`,
///   and reports per paper whether it was inserted, updated or unchanged;
/// - a batch is written in one transaction: all of it or none of it; a batch holding a paper
///   with a `validationProblem` is refused whole;
/// - when a merge gives a paper a stronger id (a title-only record learns its arXiv id), the
///   old id keeps resolving to the paper.
public protocol PaperStore: Sendable {
    /// Merges the papers in order, in one transaction.
    func upsert(_ papers: [Paper]) async throws -> UpsertCounts
    /// The paper with this id, or the paper it was merged into.
    func paper(id: PaperID) async throws -> Paper?
    /// The papers these ids name (or were merged into), by the id asked for; ids naming no
    /// paper are left out. One read for a page of search hits instead of one per hit.
    func papers(ids: [PaperID]) async throws -> [PaperID: Paper]
    /// Papers newest first, filtered.
    func papers(matching query: PaperQuery) async throws -> [Paper]
    /// Totals for `paperboy stats`.
    func statistics() async throws -> StoreStatistics
    /// Announces a large load of papers with their own arXiv ids (a metadata snapshot). A
    /// store may prepare to take them faster; lookups stay correct meanwhile.
    func beginBulkLoad() async throws
    /// Ends what `beginBulkLoad` began. A store must also recover on its own if a process
    /// dies between the two.
    func endBulkLoad() async throws

    /// A random identity fixed when the store was created: an index built from another
    /// store is stale whatever its generation.
    func identity() async throws -> String
    /// 0 for an empty store, advanced by every write that changed something. An index built
    /// at generation `g` is current while this returns `g`.
    func generation() async throws -> Int64
    /// Papers changed after generation `revision`, oldest change first, in pages of about
    /// `limit`; continue from the returned `revision` until `papers` comes back empty.
    func papersChanged(since revision: Int64, limit: Int) async throws -> PaperChanges

    // MARK: Embedding vectors (see `PaperVector`)
    //
    // A stored vector is current by construction: it is only accepted while its `textHash`
    // matches the paper's `embeddingTextHash`, and a write that changes a paper's embedding
    // text drops the paper's vectors of every model. A vector follows its paper when the paper
    // moves to a stronger id. Vectors are not paper changes: saving them leaves `generation()`
    // and `papersChanged(since:limit:)` alone, so the keyword index never rebuilds for them;
    // they have a sequence of their own (`vectorSequence()`).

    /// Stores `vectors` under `model` in one transaction, all or none, each replacing the
    /// paper's older vector of that model, and returns how many it stored. A vector is skipped
    /// (not an error: the caller read the paper earlier, and its vector will simply be asked
    /// for again) when its id names no paper, or when its `textHash` is not the paper's
    /// current one. Vectors found by an alias are stored under the paper's current id. Throws,
    /// writing nothing, when a vector is invalid (`PaperVector.validationProblem`) or its
    /// length differs from the others in the batch or the ones `model` already stores.
    @discardableResult
    func saveVectors(_ vectors: [PaperVector], model: String) async throws -> Int
    /// Up to `limit` papers without a current vector for `model`, in ascending id order,
    /// starting after the id `after` (nil: from the first). A pass over the store passes the
    /// last id of each page as the next `after` until a page comes back empty; each page costs
    /// about what it returns plus the papers it skips, so a pass reads the store once.
    func papersNeedingVectors(model: String, after: PaperID?, limit: Int) async throws -> [Paper]
    /// Up to `limit` stored vectors of `model`, in ascending id order after the id `after` (nil:
    /// from the first), to rebuild a vector index page by page. Every one is current.
    func vectors(model: String, after: PaperID?, limit: Int) async throws -> [PaperVector]
    /// How many papers have a vector for `model`.
    func vectorCount(model: String) async throws -> Int
    /// 0 before any vector was saved, advanced by one for every vector saved (of any model),
    /// in commit order. A vector index that holds every vector saved up to `s` follows the
    /// store from `s` with `vectorsSaved(model:since:limit:)`.
    func vectorSequence() async throws -> Int64
    /// Vectors of `model` saved after sequence `since`, oldest first, about `limit` of them,
    /// with the sequence to go on from (`since` when none was saved), so a server takes in the
    /// vectors other processes saved without reading every vector again. A vector deleted
    /// since (its paper's text changed) is not listed: its replacement will be.
    func vectorsSaved(model: String, since: Int64, limit: Int) async throws -> SavedVectors

    // MARK: Readers' votes
    //
    // Votes cast on this site, one per voter and paper, kept apart from `Paper.upvotes`
    // (the votes a source reported, which a harvest overwrites). Like vectors, votes follow
    // their paper to a stronger id and are not paper changes.

    /// Records `voter`'s vote for the paper `id` names (or an alias of it) and returns the
    /// paper's site votes; voting twice counts once. Nil, writing nothing, when there is no
    /// such paper.
    func addUpvote(to id: PaperID, voter: String) async throws -> Int?
    /// Site votes of the papers among `ids` that have any.
    func upvoteCounts(for ids: [PaperID]) async throws -> [PaperID: Int]

    // MARK: Harvesting
    //
    // A harvest commits each page of papers together with its `HarvestCursor`, so a crash at
    // any point resumes exactly after the last committed page. A named lock keeps a second
    // harvest (another process on the same store) from running beside the first. Cursors are
    // not paper changes: they leave `generation()` alone.

    /// The cursor stored for `source` and `set`, or nil before any page of it was committed.
    func harvestCursor(source: String, set: String) async throws -> HarvestCursor?
    /// Merges `papers` exactly as `upsert(_:)` does and stores `cursor` in place of the one for
    /// the same source and set, in one transaction: all or none. `papers` may be empty (a page
    /// of deleted records still moves the cursor on); a batch `upsert(_:)` refuses writes
    /// neither the papers nor the cursor.
    func upsert(_ papers: [Paper], advancing cursor: HarvestCursor) async throws -> UpsertCounts
    /// The lock `name` over this store, for work one process at a time may do (a harvest), or
    /// nil at once while another holder (in this process or another) has it. It is held until
    /// released or until its process ends, however it ends: a harvest killed with SIGKILL
    /// never keeps the next one waiting (a file lock on SQLite, a session-scoped advisory lock
    /// on a database server).
    func lock(_ name: String) async throws -> (any StoreLock)?
}

/// A held `PaperStore.lock(_:)`.
public protocol StoreLock: Sendable {
    /// Lets the next holder have it; releasing twice does nothing.
    func release() async
}

extension PaperStore {
    /// Runs `body` holding the lock `name` and releases it after, however `body` ends; nil
    /// at once, running nothing, while another holder has it.
    public func whileHolding<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T? {
        guard let lock = try await lock(name) else { return nil }
        do {
            let result = try await body()
            await lock.release()
            return result
        } catch {
            await lock.release()
            throw error
        }
    }
}

extension PaperStore {
    public func papers(ids: [PaperID]) async throws -> [PaperID: Paper] {
        var found: [PaperID: Paper] = [:]
        for id in ids { found[id] = try await paper(id: id) }
        return found
    }

    public func beginBulkLoad() async throws {}
    public func endBulkLoad() async throws {}

    /// The first `limit` papers needing a vector for `model`. A loop that saves each page and
    /// stops on an empty one ends (a saved paper is not returned again; one it fails to save
    /// is, forever), but every call rescans the papers already done: a pass over a whole store
    /// should page with `after`.
    public func papersNeedingVectors(model: String, limit: Int) async throws -> [Paper] {
        try await papersNeedingVectors(model: model, after: nil, limit: limit)
    }
}

/// What `PaperStore.papers(matching:)` returns: newest (by publication date) first.
public struct PaperQuery: Sendable, Hashable {
    /// Only papers published on or after this instant.
    public var since: Date?
    /// Only papers published before this instant.
    public var until: Date?
    /// Only papers listed in this arXiv category (primary or cross-list). A bare archive such
    /// as `cs` matches every `cs.*` category.
    public var category: String?
    public var limit: Int

    public init(since: Date? = nil, until: Date? = nil, category: String? = nil, limit: Int = 20) {
        self.since = since
        self.until = until
        self.category = category
        self.limit = limit
    }
}

/// How each paper of an upsert fared.
public struct UpsertCounts: Sendable, Hashable, Codable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }

    public static func += (a: inout UpsertCounts, b: UpsertCounts) {
        a.inserted += b.inserted
        a.updated += b.updated
        a.unchanged += b.unchanged
    }
}

/// Totals over the whole store.
public struct StoreStatistics: Sendable, Hashable, Codable {
    public var papers: Int
    /// Papers per source kind (a paper seen in two sources counts in both).
    public var papersBySource: [String: Int]
    /// The ten largest primary categories.
    public var topCategories: [CategoryCount]
    public var earliestPublished: Date?
    public var latestPublished: Date?
    /// Bytes of the store on disk, when it is a file.
    public var sizeOnDisk: Int64?

    public init(papers: Int, papersBySource: [String: Int], topCategories: [CategoryCount],
                earliestPublished: Date?, latestPublished: Date?, sizeOnDisk: Int64?) {
        self.papers = papers
        self.papersBySource = papersBySource
        self.topCategories = topCategories
        self.earliestPublished = earliestPublished
        self.latestPublished = latestPublished
        self.sizeOnDisk = sizeOnDisk
    }
}

public struct CategoryCount: Sendable, Hashable, Codable {
    public var category: String
    public var papers: Int
    public init(category: String, papers: Int) {
        self.category = category
        self.papers = papers
    }
}

/// A page of the store's change history, for indexes that follow the store incrementally.
public struct PaperChanges: Sendable, Hashable {
    /// Papers whose latest change falls in this page, in the order they changed.
    public var papers: [Paper]
    /// Ids that stopped being paper ids in this page because their paper learned a stronger
    /// id (a title-only record got its arXiv id): an index drops them.
    public var retiredIDs: [PaperID]
    /// The generation this page reaches: pass it as `since` to read the next page.
    public var revision: Int64

    public init(papers: [Paper], retiredIDs: [PaperID], revision: Int64) {
        self.papers = papers
        self.retiredIDs = retiredIDs
        self.revision = revision
    }
}

/// Everything a Paperboy deployment keeps in its store: papers, mail, readers, their libraries
/// and digest subscriptions. The SQLite file and the PostgreSQL database both are one.
public typealias PaperboyStore = PaperStore & OutboxStore & ReaderStore & LibraryStore & SubscriptionStore

/// A store several processes share that announces each committed change (PostgreSQL's
/// `LISTEN/NOTIFY`), so a node's indexes catch up at once instead of at their next poll. An
/// announcement is only a nudge: what changed is read from `papersChanged(since:limit:)`, so a
/// node that missed announcements (it was down, or lost its connection) loses nothing.
public protocol ChangeAnnouncing: Sendable {
    /// Yields the generation of each change committed by any process, and a value after every
    /// reconnection (changes may have been missed meanwhile); ends when the caller's task is
    /// cancelled.
    func announcedChanges() -> AsyncStream<Int64>
}
