import PaperboyCore

/// "For you", as arxiv-sanity does it: per tag, a linear SVM learns to tell the papers the
/// reader saved in it from a seeded sample of the other candidates, over each paper's
/// embedding and keyword tf-idf features, and every unsaved candidate is ranked by the
/// learnt score. Pure and deterministic: the same saved papers, candidates and seed give
/// the same list.
public struct Recommender: RecommendationStrategy {
    public var settings: Settings

    /// The SVM's regularisation, the negatives it trains against, and the seed.
    public struct Settings: Sendable, Equatable {
        /// The SVM's `C`, with scikit-learn's `class_weight="balanced"`: sample i's loss
        /// weighs `C · n / (2 · size of its class)`, so saved papers and sampled others count
        /// equally in total. 0.01 is arxiv-sanity's value, kept rather than tuned on our
        /// judged collections: strong regularisation, because a tag has few papers and the
        /// unsaved ones are only mostly unwanted. (arxiv-sanity's n is its whole corpus, so
        /// over our sample the same C regularises harder; BENCHMARKS.md compares 0.1 and 1.)
        public var regularisation: Float
        /// How many unsaved candidates train as negatives (all of them when there are fewer).
        /// The solver's cost grows with its samples, not with the candidates, so 2,000 keeps
        /// a tag's training to tens of milliseconds at 100,000 candidates; and more barely
        /// helps: on CACM, 500 / 1,000 / 2,000 / every unsaved paper (about 3,190) as
        /// negatives gave precision@10 0.359 / 0.369 / 0.384 / 0.384 (BENCHMARKS.md).
        public var negativeSampleSize: Int
        /// Seeds the sample of negatives and the solver's visiting order.
        public var seed: UInt64

        public init(regularisation: Float = 0.01, negativeSampleSize: Int = 2_000, seed: UInt64 = 0x5EED) {
            self.regularisation = regularisation
            self.negativeSampleSize = negativeSampleSize
            self.seed = seed
        }
    }

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    public var name: String { "linear SVM (C \(settings.regularisation), \(settings.negativeSampleSize) negatives)" }

    /// The tag's trained model, or nil when none of `saved` is a candidate.
    public func train(saved: [PaperID], among features: PaperFeatures) -> TagModel? {
        let savedRows = features.rows(of: saved)
        guard !savedRows.isEmpty else { return nil }
        var random = SeededGenerator(seed: settings.seed)
        let excluded = Set(savedRows)
        var others = (0..<features.count).filter { !excluded.contains($0) }
        random.shuffle(&others, prefix: settings.negativeSampleSize)
        let negatives = others.prefix(settings.negativeSampleSize)
        let total = Float(savedRows.count + negatives.count)
        let positiveCost = settings.regularisation * total / (2 * Float(savedRows.count))
        let negativeCost = settings.regularisation * total / (2 * Float(max(1, negatives.count)))
        let samples = savedRows.map { LinearSVM.Sample(row: $0, isPositive: true, cost: positiveCost) }
            + negatives.map { LinearSVM.Sample(row: $0, isPositive: false, cost: negativeCost) }
        let weights = LinearSVM().train(samples, on: features, random: &random)
        return TagModel(weights: weights, savedRows: savedRows)
    }

    public func recommend(for saved: [PaperID], among features: PaperFeatures, limit: Int) -> [Recommendation] {
        train(saved: saved, among: features)?.recommend(among: features, limit: limit) ?? []
    }
}

/// What a tag's training learnt: the SVM's weights and the saved papers it learnt from.
/// It refers to candidates by row, so it answers only for the `PaperFeatures` it was trained on.
public struct TagModel: Sendable {
    let weights: LinearWeights
    let savedRows: [Int]

    /// Passes over the samples the solver made before it converged.
    public var epochs: Int { weights.epochs }

    /// Each candidate's decision value `w · x + b`, in row order: positive on the saved side.
    public func decisionValues(of features: PaperFeatures) -> [Float] {
        weights.scores(of: features).map { $0 + weights.bias }
    }

    /// The `limit` best unsaved candidates, best first, each with its reason.
    public func recommend(among features: PaperFeatures, limit: Int) -> [Recommendation] {
        features.recommendations(scores: weights.scores(of: features), savedRows: savedRows, limit: limit)
    }
}
