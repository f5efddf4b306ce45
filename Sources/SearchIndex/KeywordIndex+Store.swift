import Foundation
import PaperboyCore

/// How an index came to be current when it was opened.
public enum IndexOpening: Sendable, Equatable {
    /// The file matched the store exactly.
    case loaded
    /// The file was older than the store; `papers` changed papers were applied.
    case caughtUp(papers: Int)
    /// The file could not be used (`reason` says why) and the index was built from the store.
    case rebuilt(reason: String)
}

extension KeywordIndex {
    /// Papers read from the store per page while building or catching up.
    static let pageSize = 20_000

    /// Builds the index of every paper in `store`, analyzing on `threads` threads, each
    /// filling its own segment. `progress` gets the number of papers indexed so far.
    public static func build(from store: any PaperStore, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                             parameters: BM25Parameters = BM25Parameters(),
                             progress: @Sendable (Int) -> Void = { _ in }) async throws -> KeywordIndex {
        let identity = try await store.identity()
        let builders = (0..<max(1, threads)).map { _ in ParallelBuilder() }
        var revision: Int64 = 0
        var indexed = 0
        var page = try await store.papersChanged(since: 0, limit: pageSize)
        while !page.papers.isEmpty {
            revision = page.revision
            // Read the next page while this one is analyzed.
            let reached = page.revision
            async let next = store.papersChanged(since: reached, limit: pageSize)
            let papers = page.papers
            let share = (papers.count + builders.count - 1) / builders.count
            DispatchQueue.concurrentPerform(iterations: builders.count) { worker in
                let start = min(papers.count, worker * share)
                builders[worker].add(papers[start..<min(papers.count, start + share)])
            }
            indexed += papers.count
            progress(indexed)
            page = try await next
        }
        if page.revision > revision { revision = page.revision }
        let finished = SegmentSlots(count: builders.count)
        DispatchQueue.concurrentPerform(iterations: builders.count) { worker in
            finished.set(worker, builders[worker].finish())
        }
        let segments = finished.values
        var index = KeywordIndex(parameters: parameters, generation: revision)
        index.storeIdentity = identity
        for segment in segments.compactMap({ $0 }) { index.append(segment) }
        return index
    }

    /// Applies the store's changes since the index's generation; returns how many papers
    /// changed.
    @discardableResult
    public mutating func catchUp(with store: any PaperStore) async throws -> Int {
        var changed = 0
        while true {
            let page = try await store.papersChanged(since: generation, limit: Self.pageSize)
            remove(ids: page.retiredIDs.map(\.rawValue))
            var caches = AnalysisCaches()
            add(page.papers.map { IndexDocument(paper: $0, caches: &caches) })
            changed += page.papers.count
            let advanced = page.revision != generation
            generation = page.revision
            if page.papers.isEmpty || !advanced { return changed }
        }
    }

    /// The index for `store`: loaded from `file` and caught up when the file is good and was
    /// built from this store; otherwise built from the store (and `opening` says why). The
    /// caller saves it when it is not `.loaded`.
    public static func open(file: URL, store: any PaperStore,
                            progress: @Sendable (Int) -> Void = { _ in }) async throws -> (index: KeywordIndex, opening: IndexOpening) {
        let reason: String
        do {
            var index = try IndexFile.load(from: file)
            let identity = try await store.identity()
            let generation = try await store.generation()
            if index.storeIdentity != identity {
                reason = "the index file was built from another store"
            } else if index.generation > generation {
                reason = "the index file is newer than the store (generation \(index.generation) > \(generation))"
            } else if index.generation == generation {
                return (index, .loaded)
            } else {
                let changed = try await index.catchUp(with: store)
                return (index, .caughtUp(papers: changed))
            }
        } catch let error as SearchIndexError {
            reason = error.code == .missing ? "there was no index file yet" : error.message
        }
        let index = try await build(from: store, progress: progress)
        return (index, .rebuilt(reason: reason))
    }
}

/// One thread's share of a parallel build: its segment and its stem cache.
private final class ParallelBuilder: @unchecked Sendable {
    private var builder = SegmentBuilder()
    private var caches = AnalysisCaches()

    func add(_ papers: ArraySlice<Paper>) {
        for paper in papers { builder.add(IndexDocument(paper: paper, caches: &caches)) }
    }

    func finish() -> Segment? {
        builder.documentCount == 0 ? nil : builder.finish()
    }
}

/// Results written by parallel workers, one slot each.
private final class SegmentSlots: @unchecked Sendable {
    private(set) var values: [Segment?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Segment?) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}
