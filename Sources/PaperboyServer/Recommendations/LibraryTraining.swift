import PaperboyCore
import Retrieval

/// What one tag's training answered: its best papers with their reasons, for the library
/// revision and candidate pool it was trained on. This answer is what is kept, not the
/// model: the weights (one per vocabulary term, ~80 KB) refer to one pool's rows and
/// vocabulary and are useless once the pool moves on, while the answer is a few KB and
/// serves every request until the library or the pool changes.
struct TagAnswer: Sendable {
    var revision: Int64
    var poolVersion: UInt64
    var picks: [Pick]
    /// Training plus ranking every candidate plus finding the reasons.
    var time: Duration

    /// A recommended paper and the saved paper it is most like.
    struct Pick: Sendable, Hashable {
        var paper: PaperID
        var like: PaperID
        var likeTitle: String
    }
}

/// Trains one reader's library, tag by tag, on a candidate pool: pure and synchronous (the
/// caller runs it off the actor), given the saved papers as the store has them now.
struct LibraryTraining {
    var recommender: Recommender
    /// Papers kept per tag.
    var depth: Int

    /// Every tag's answer. `saved` maps each saved id (as the library holds it, which may be
    /// an alias of a merged paper) to the paper; `vectors` holds the saved papers' vectors
    /// by their current id, where the model has one. A saved paper outside the pool joins
    /// the features for this training; one without a vector joins with a zero embedding, so
    /// it trains on its keywords alone. No paper the reader saved, under any tag, is
    /// recommended.
    func answers(for library: ReaderLibrary, saved: [PaperID: Paper], vectors: [PaperID: [Float]],
                 pool: CandidatePool) -> [String: TagAnswer] {
        var savedIDs = Set(library.saved.map(\.paper))
        var byID: [PaperID: Paper] = [:]
        for paper in saved.values {
            savedIDs.insert(paper.id)
            byID[paper.id] = paper
        }
        let papers = byID.values.sorted { $0.id < $1.id }
        let zero = [Float](repeating: 0, count: pool.dimension)
        let features = pool.features.count == 0 ? pool.features : pool.features.adding(
            papers: papers,
            vectors: papers.map { paper in vectors[paper.id].flatMap { $0.count == pool.dimension ? $0 : nil } ?? zero })
        let clock = ContinuousClock()
        var answers: [String: TagAnswer] = [:]
        for (tag, ids) in library.tags {
            let start = clock.now
            let tagPapers = ids.compactMap { saved[$0]?.id }
            var picks: [TagAnswer.Pick] = []
            if features.count > 0, let model = recommender.train(saved: tagPapers, among: features) {
                picks = model.recommend(among: features, limit: depth + savedIDs.count)
                    .filter { !savedIDs.contains($0.paper) }
                    .prefix(depth)
                    .map { TagAnswer.Pick(paper: $0.paper, like: $0.reason.savedPaper,
                                          likeTitle: byID[$0.reason.savedPaper]?.title ?? $0.reason.savedPaper.rawValue) }
            }
            answers[tag] = TagAnswer(revision: library.revision, poolVersion: pool.catalogVersion, picks: picks,
                                     time: clock.now - start)
        }
        return answers
    }
}
