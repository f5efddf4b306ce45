import Foundation
import Hummingbird
import Logging
import Retrieval
import ServiceLifecycle

/// Keeps a running server's indexes in step with the store, so papers another process (or
/// the server's own harvest) stores become searchable by keywords within `interval`, and by
/// meaning a little later, without `paperboy embed`.
///
/// Every `interval` it asks the store for changes since the keyword index's generation (one
/// cheap query when there are none) and, when there are, swaps in the caught-up engine. Then,
/// when there is a model, it embeds up to `embeddingBatch` papers lacking a vector, stores
/// the vectors and swaps in an engine whose vector index holds them. A big import is
/// embedded over many ticks rather than in one burst: the model takes every core while it
/// runs, and a page of 256 (about 13 s on 2 cores, at the ~20 papers/s of
/// `bench/results/embedding.json`) made readers' searches wait behind it for seconds; a batch
/// of 32 is a burst of about 1.6 s in every `interval`. Last, it takes in the vectors other
/// processes saved (`followVectors`), so a paper another node embedded is found by meaning
/// here too.
/// The parts fail apart: an embedding failure is logged and the keyword index keeps catching
/// up, and the other way round.
public struct IndexRefresher: Service {
    let catalog: PaperCatalog
    let interval: Duration
    /// Changes other processes announce (a shared PostgreSQL store): each one catches the
    /// keyword index up at once, so a paper stored through another node is found within
    /// moments, not at the next tick. Embedding stays on the ticks: a burst of announcements
    /// (an import on another node) must not keep the model busy.
    let announcements: AsyncStream<Int64>?
    let logger: Logger
    /// Papers embedded per tick at most (see above).
    public static let embeddingBatch = 32

    public init(catalog: PaperCatalog, interval: Duration = .seconds(5), announcements: AsyncStream<Int64>? = nil,
                logger: Logger = Logger(label: "paperboy.index")) {
        self.catalog = catalog
        self.interval = interval
        self.announcements = announcements
        self.logger = logger
    }

    /// Why the refresher wakes.
    private enum WakeUp { case tick, announced }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            let (wakeUps, wake) = AsyncStream<WakeUp>.makeStream(bufferingPolicy: .bufferingNewest(2))
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        wake.yield(.tick)
                    }
                    wake.finish()
                }
                if let announcements {
                    group.addTask {
                        for await _ in announcements { wake.yield(.announced) }
                    }
                }
                group.addTask {
                    var embedding = VectorCatchUp()
                    for await reason in wakeUps {
                        if Task.isCancelled { break }
                        switch reason {
                        case .tick: await refresh(&embedding)
                        case .announced:
                            // An announced change is not left to the next tick, which may be
                            // far off: a catch-up that fails (the store busy or away) is tried
                            // again, waiting 0.5 s doubling up to `interval`.
                            var wait = Duration.milliseconds(500)
                            while await catchUpKeywords() == nil, !Task.isCancelled {
                                try? await Task.sleep(for: wait)
                                wait = min(wait * 2, interval)
                            }
                        }
                    }
                }
            }
        }
    }

    /// One tick: the keyword catch-up, then a page of embedding. Returns how many papers the
    /// keyword index took in and how many papers got a vector.
    @discardableResult
    public func refresh(_ embedding: inout VectorCatchUp) async -> (papers: Int, embedded: Int) {
        let changed = await catchUpKeywords() ?? 0
        var embedded = 0
        do {
            embedded = try await catalog.embedMissingVectors(&embedding, limit: Self.embeddingBatch)
            if embedded > 0 {
                logger.info("embedded new papers", metadata: [
                    "papers": "\(embedded)", "vectors": "\(catalog.engine.semanticIndex?.vectors.count ?? 0)",
                ])
            }
        } catch {
            logger.warning("cannot embed new papers", metadata: ["error": "\(error)"])
        }
        do {
            let taken = try await catalog.followVectors()
            if taken > 0 { logger.info("took in vectors saved elsewhere", metadata: ["vectors": "\(taken)"]) }
        } catch {
            logger.warning("cannot take in the vectors saved elsewhere", metadata: ["error": "\(error)"])
        }
        return (changed, embedded)
    }

    /// The keyword half of a tick; returns how many papers the index took in, nil when it
    /// failed (logged).
    private func catchUpKeywords() async -> Int? {
        do {
            let changed = try await catalog.refresh()
            if changed > 0 { logger.info("keyword index caught up", metadata: ["papers": "\(changed)"]) }
            return changed
        } catch {
            logger.warning("cannot catch the keyword index up", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

extension PaperCatalog {
    /// Takes the vectors saved since the semantic index's `sequence` into it: those another
    /// node (or `paperboy embed`) computed, so this server finds their papers by meaning
    /// without embedding them again or restarting. Returns how many changed the index; its
    /// own vectors, saved by `embedMissingVectors`, come back too and change nothing.
    @discardableResult
    public func followVectors(pageSize: Int = 1_000) async throws -> Int {
        guard var semantic = engine.semanticIndex else { return 0 }
        let model = semantic.embedder.modelName
        var changed = 0
        while true {
            let page = try await store.vectorsSaved(model: model, since: semantic.sequence, limit: pageSize)
            guard page.sequence != semantic.sequence else { break }
            for saved in page.vectors where semantic.vectors.store.vector(for: saved.id.rawValue) != saved.vector {
                try semantic.vectors.add(key: saved.id.rawValue, vector: saved.vector)
                changed += 1
            }
            semantic.sequence = page.sequence
        }
        guard semantic.sequence != engine.semanticIndex?.sequence else { return 0 }
        // The engine as of now: the keyword index may have caught up meanwhile.
        var engine = self.engine
        engine.semanticIndex = semantic
        replaceEngine(engine)
        return changed
    }
}

/// Where a server's embedding stands between ticks: the pass in progress and the store
/// generation it started at. A pass walks the store's whole id index, so one is started only
/// when the store changed since the last pass began; an idle server reads the generation alone.
public struct VectorCatchUp: Sendable {
    /// The pass under way, keeping its place; nil between passes.
    var pass: VectorBackfill?
    /// The generation the pass under way started at.
    var started: Int64?
    /// The generation the last finished pass started at: nothing lacked a vector then.
    var finished: Int64?

    public init() {}
}

extension PaperCatalog {
    /// Catches the keyword index up with the store; returns how many papers changed.
    @discardableResult
    public func refresh() async throws -> Int {
        var engine = self.engine
        let generation = try await store.generation()
        engine.memory?.storeAnswered()
        guard generation != engine.keywordIndex.generation else { return 0 }
        let changed = try await engine.keywordIndex.catchUp(with: store)
        if changed > 0 { replaceEngine(engine) }
        return changed
    }

    /// Embeds up to `limit` papers lacking a vector with the semantic index's model, stores
    /// their vectors and swaps in an engine whose vector index holds them; returns how many.
    /// Nothing without a semantic index, or when the store has not changed since `state`'s
    /// last finished pass. Meant for one caller at a time (the refresher): two at once would
    /// each swap in their own copy of the vector index.
    ///
    /// The vectors are added to a copy of the engine's `VectorSearcher`, so searches running
    /// meanwhile keep the old one; its first `add` copies the vector storage (copy-on-write),
    /// once per tick that embeds something. Measured at 49,000 vectors (flat, ~96 MB of floats
    /// and codes): 30–240 ms for the copy (the high end when the memory is fresh), 55 ms with
    /// 256 adds; at 50,000 (graph): 50–250 ms for the copy, 0.45 s with 256 adds (linked one
    /// by one). Small beside embedding the page (~13 s), and the old copy is freed once the
    /// last search holding it ends.
    ///
    /// `vector.index` on disk falls behind the store; the next `paperboy serve` or `search`
    /// finds the counts differ and rebuilds it from the stored vectors, never re-embedding
    /// (`VectorIndexFile` says which case counts miss).
    @discardableResult
    public func embedMissingVectors(_ state: inout VectorCatchUp, limit: Int = VectorBackfill.pageSize) async throws -> Int {
        guard var semantic = engine.semanticIndex else { return 0 }
        var pass: VectorBackfill
        if let current = state.pass {
            pass = current
        } else {
            let generation = try await store.generation()
            guard generation != state.finished else { return 0 }
            pass = VectorBackfill(store: store, embedder: semantic.embedder)
            state.started = generation
        }
        let start = pass.after
        var embedded = 0
        var failure: (any Error)?
        do {
            embedded = try await pass.run(into: &semantic.vectors, limit: limit)
        } catch {
            failure = error   // pages saved before it are served below all the same
        }
        if pass.isFinished {
            state.pass = nil
            state.finished = state.started
        } else {
            state.pass = pass
        }
        if pass.after != start {
            // The engine as of now: the keyword index may have caught up meanwhile.
            var engine = self.engine
            engine.semanticIndex = semantic
            replaceEngine(engine)
        }
        if let failure { throw failure }
        return embedded
    }
}
