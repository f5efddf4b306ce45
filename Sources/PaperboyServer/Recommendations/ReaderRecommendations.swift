import Logging
import PaperboyCore
import Retrieval

/// "For you" for every reader of a server: per tag of a reader's library, the papers a
/// linear model trained on the tag's saved papers ranks best, each with its reason.
///
/// Work happens in the background and a request never waits for it longer than
/// `answerWithin`: past that it gets the answer of the library's previous revision (marked
/// `updating`) or `preparing`. Training starts when a request brings a library revision (or
/// finds a candidate pool) that the kept answers were not trained on; the candidate pool
/// (`CandidatePool`) is rebuilt when the catalog's version moved on, at most once per
/// `poolRefreshInterval` (it moves every few seconds while new papers are embedded).
/// Answers are kept per (reader, tag) by `RecommendationCache`.
public actor ReaderRecommendations {
    public struct Settings: Sendable {
        /// Newest papers in the candidate pool (see `CandidatePool` for the size).
        public var poolSize = 10_000
        /// Papers kept per tag: a page shows them all, a digest its first few.
        public var depth = 20
        /// The longest a request waits for training before answering with what there is.
        public var answerWithin = Duration.milliseconds(250)
        /// Tag answers kept in memory (see `RecommendationCache`).
        public var cacheCapacity = 4_096
        /// The shortest time between two pool rebuilds.
        public var poolRefreshInterval = Duration.seconds(60)
        public var recommender = Recommender.Settings()

        public init() {}
    }

    public nonisolated let settings: Settings
    private let catalog: PaperCatalog
    private let logger: Logger
    private let clock = ContinuousClock()
    private var pool: CandidatePool?
    private var poolBuild: Readiness?
    private var lastPoolBuild: ContinuousClock.Instant?
    private var cache: RecommendationCache
    /// The newest training started per reader, for a second request to wait on.
    private var training: [ReaderID: (revision: Int64, poolVersion: UInt64, readiness: Readiness)] = [:]

    public init(catalog: PaperCatalog, settings: Settings = Settings(),
                logger: Logger = Logger(label: "paperboy.recommendations")) {
        self.catalog = catalog
        self.settings = settings
        self.logger = logger
        cache = RecommendationCache(capacity: settings.cacheCapacity)
    }

    /// What a page shows now: waits at most `answerWithin` for training.
    public func forYou(_ library: ReaderLibrary) async throws -> ForYou {
        try await resolve(answer(library, upTo: settings.answerWithin), of: library)
    }

    /// The answer trained on this very revision of the library, however long training takes
    /// (a digest being composed, a test); throws what training threw.
    public func preparedForYou(_ library: ReaderLibrary) async throws -> ForYou {
        try await resolve(answer(library, upTo: nil), of: library)
    }

    /// For a digest's "your tags" section: the best `perTag` papers of each tag with a
    /// recommendation, trained on this revision of the library, in the library's tag order.
    public func recommendations(for library: ReaderLibrary, perTag: Int) async throws -> [TagRecommendations] {
        try await preparedForYou(library).sections.compactMap { section in
            let papers = Array(section.recommendations.papers.prefix(perTag))
            return papers.isEmpty ? nil : TagRecommendations(tag: section.tag, papers: papers)
        }
    }

    /// Starts building the candidate pool (when there is none or it is stale), so that the
    /// first reader after a start finds it ready.
    public func prepareCandidates() {
        refreshPoolIfStale()
    }

    // MARK: Answers

    /// The kept answer of each tag after starting (and waiting up to `bound` for) whatever
    /// work the library needs. A nil bound waits to the end, for a pool being rebuilt too,
    /// and throws a failure.
    private func answer(_ library: ReaderLibrary, upTo bound: Duration?) async throws -> [String: (TagAnswer, ForYou.Status)] {
        let deadline = bound.map { clock.now + $0 }
        refreshPoolIfStale()
        if pool == nil || bound == nil, let build = poolBuild {
            let result = await build.wait(upTo: deadline.map { $0 - clock.now })
            if bound == nil, case .failure(let error)? = result { throw error }
        }
        if let pool, !isCurrent(library, pool: pool) {
            let result = await train(library, on: pool).wait(upTo: deadline.map { $0 - clock.now })
            if bound == nil, case .failure(let error)? = result { throw error }
        }
        var answers: [String: (TagAnswer, ForYou.Status)] = [:]
        for (tag, _) in library.tags {
            guard let kept = cache.answer(for: .init(reader: library.reader, tag: tag)) else { continue }
            let current = kept.revision == library.revision && kept.poolVersion == pool?.catalogVersion
            answers[tag] = (kept, current ? .current : .updating)
        }
        return answers
    }

    private func isCurrent(_ library: ReaderLibrary, pool: CandidatePool) -> Bool {
        library.tags.allSatisfy { tag, _ in
            guard let kept = cache.answer(for: .init(reader: library.reader, tag: tag)) else { return false }
            return kept.revision == library.revision && kept.poolVersion == pool.catalogVersion
        }
    }

    /// The training of `library` on `pool`: the one under way for the same revision and
    /// pool, or a new one.
    private func train(_ library: ReaderLibrary, on pool: CandidatePool) -> Readiness {
        if let running = training[library.reader], running.revision == library.revision,
           running.poolVersion == pool.catalogVersion, !running.readiness.isFinished {
            return running.readiness
        }
        let readiness = Readiness()
        training[library.reader] = (library.revision, pool.catalogVersion, readiness)
        let trainer = LibraryTraining(recommender: Recommender(settings: settings.recommender), depth: settings.depth)
        let catalog = catalog
        Task.detached(priority: .utility) {
            do {
                let saved = try await catalog.store.papers(ids: Array(Set(library.saved.map(\.paper))))
                let vectors = catalog.engine.semanticIndex?.vectors.store
                var savedVectors: [PaperID: [Float]] = [:]
                for paper in saved.values { savedVectors[paper.id] = vectors?.vector(for: paper.id.rawValue) }
                let answers = trainer.answers(for: library, saved: saved, vectors: savedVectors, pool: pool)
                await self.keep(answers, of: library, readiness: readiness)
                readiness.finish(.success(()))
            } catch {
                await self.forget(library.reader, readiness: readiness, error: error)
                readiness.finish(.failure(error))
            }
        }
        return readiness
    }

    private func keep(_ answers: [String: TagAnswer], of library: ReaderLibrary, readiness: Readiness) {
        for (tag, answer) in answers { cache.store(answer, for: .init(reader: library.reader, tag: tag)) }
        if training[library.reader]?.readiness === readiness { training[library.reader] = nil }
        let times = answers.values.map(\.time)
        logger.debug("trained recommendations", metadata: [
            "reader": "\(library.reader)", "revision": "\(library.revision)", "tags": "\(answers.count)",
            "saved": "\(library.saved.count)", "slowest_tag": "\(times.max() ?? .zero)",
        ])
    }

    private func forget(_ reader: ReaderID, readiness: Readiness, error: any Error) {
        if training[reader]?.readiness === readiness { training[reader] = nil }
        logger.warning("cannot train recommendations", metadata: ["reader": "\(reader)", "error": "\(error)"])
    }

    // MARK: Candidate pool

    /// Starts building a pool when there is none, or when the catalog moved on and the last
    /// build is `poolRefreshInterval` old; one build at a time.
    private func refreshPoolIfStale() {
        guard poolBuild == nil else { return }
        if let pool {
            guard catalog.version != pool.catalogVersion else { return }
            if let last = lastPoolBuild, clock.now - last < settings.poolRefreshInterval { return }
        }
        let readiness = Readiness()
        poolBuild = readiness
        lastPoolBuild = clock.now
        let catalog = catalog, size = settings.poolSize
        Task.detached(priority: .utility) {
            let start = ContinuousClock.now
            do {
                let pool = try await CandidatePool.build(from: catalog, size: size)
                await self.install(pool, took: ContinuousClock.now - start)
                readiness.finish(.success(()))
            } catch {
                await self.poolFailed(error)
                readiness.finish(.failure(error))
            }
        }
    }

    private func install(_ pool: CandidatePool, took time: Duration) {
        self.pool = pool
        poolBuild = nil
        logger.info("recommendation candidates ready", metadata: [
            "papers": "\(pool.features.count)", "vocabulary": "\(pool.features.vocabularySize)",
            "catalog_version": "\(pool.catalogVersion)", "time": "\(time)",
        ])
    }

    private func poolFailed(_ error: any Error) {
        poolBuild = nil
        logger.warning("cannot build the recommendation candidates", metadata: ["error": "\(error)"])
    }

    // MARK: Papers

    /// The answers with their papers as the store has them now (one read for all tags).
    private nonisolated func resolve(_ answers: [String: (TagAnswer, ForYou.Status)],
                                     of library: ReaderLibrary) async throws -> ForYou {
        let ids = Array(Set(answers.values.flatMap { $0.0.picks.map(\.paper) }))
        let papers = ids.isEmpty ? [:] : try await catalog.store.papers(ids: ids)
        let sections = library.tags.map { tag, _ -> ForYou.Section in
            guard let (answer, status) = answers[tag] else {
                return ForYou.Section(recommendations: TagRecommendations(tag: tag, papers: []), status: .preparing)
            }
            let recommended = answer.picks.compactMap { pick in
                papers[pick.paper].map { RecommendedPaper(paper: $0, tag: tag, like: pick.like, likeTitle: pick.likeTitle) }
            }
            return ForYou.Section(recommendations: TagRecommendations(tag: tag, papers: recommended), status: status,
                                  trainingTime: answer.time)
        }
        return ForYou(revision: library.revision, sections: sections)
    }
}
