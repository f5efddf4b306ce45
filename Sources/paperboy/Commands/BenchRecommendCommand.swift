import ArgumentParser
import Foundation
import Ingestion
import PaperboyCore
import Retrieval

/// `paperboy bench recommend`: precision@10 of the trained recommender and of "most similar
/// to the last saved paper" under the held-out protocol (`HeldOutEvaluation`), with the
/// time a tag's training and recommending take.
struct BenchRecommendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "Measure recommendations against the most-similar-to-last-saved baseline.")

    @Argument(help: ArgumentHelp(
        "Collection directories: judged (corpus.jsonl[.gz], queries.jsonl, qrels/test.tsv; a query is a tag) or Hugging Face papers pages (*.txt; a page is a tag).",
        valueName: "dir"))
    var collections: [String]

    @Option(help: ArgumentHelp("The model directory (default: the installed model).", valueName: "dir"))
    var model: String?

    @Option(help: "Random saved/held-out splits per tag.")
    var splits = 5

    @Option(help: "Seed of the splits.")
    var seed: UInt64 = 1

    @Option(help: "Fewest papers a query or page needs to become a tag.")
    var minimumPapers = 8

    @Option(name: .customLong("svm-c"), help: "The SVM's C (repeat to compare several; the first is timed at scale).")
    var regularisation: [Float] = [Recommender.Settings().regularisation]

    @Option(help: "Unsaved candidates sampled as negatives per tag.")
    var negatives = Recommender.Settings().negativeSampleSize

    @Option(help: ArgumentHelp("Also time each tag's first split with the candidates copied up to this many (timing only).", valueName: "n"))
    var scaleTo: Int?

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        guard splits > 0 else { throw ValidationError("--splits must be at least 1.") }
        guard negatives > 0 else { throw ValidationError("--negatives must be at least 1.") }
        guard regularisation.allSatisfy({ $0 > 0 }) else { throw ValidationError("--svm-c must be positive.") }
    }

    func run() async throws {
        try global.bootstrapLogging()
        let embedding = try BenchEmbedder(model: model, global: global)
        let evaluation = HeldOutEvaluation(splitsPerTag: splits, seed: seed)
        var results: [RecommendResult] = []
        var scaled: [ScaleResult] = []
        for path in collections {
            let collection = try TaggedPapers.load(URL(fileURLWithPath: path), minimumPapers: minimumPapers)
            let vectors = embedding.embed(collection.papers, label: "embedding \(collection.name)")
            let features = PaperFeatures(papers: collection.papers, vectors: vectors)
            let facts = CollectionFacts(collection, features: features, evaluation: evaluation)
            let strategies: [any RecommendationStrategy] = [MostSimilarToLastSaved()]
                + regularisation.map { Recommender(settings: .init(regularisation: $0, negativeSampleSize: negatives)) }
            for strategy in strategies {
                var timing = TagTiming()
                let precision = evaluation.meanPrecision(of: collection.tags) { split in
                    timing.measure(strategy, split.saved, features, limit: evaluation.depth)
                }
                results.append(RecommendResult(facts: facts, strategy: strategy.name, precisionAt10: precision,
                                               timing: timing.summary()))
            }
            if let scaleTo {
                let recommender = Recommender(settings: .init(regularisation: regularisation[0], negativeSampleSize: negatives))
                scaled.append(ScaleResult.measure(collection, vectors: vectors, candidates: scaleTo, recommender: recommender,
                                                      splits: HeldOutEvaluation(splitsPerTag: 1, seed: seed).splits(of: collection.tags)))
            }
        }
        if json {
            print(JSONOutput.line(RecommendReport(results: results, scaled: scaled)))
        } else {
            printTables(results, scaled)
        }
    }

    private func printTables(_ results: [RecommendResult], _ scaled: [ScaleResult]) {
        print("| collection | strategy | precision@10 | training per tag, median / p95 | training + ranking, median / p95 |")
        print("|---|---|---:|---:|---:|")
        for result in results {
            let facts = result.facts
            print("| \(facts.collection) (\(facts.candidates.formatted) papers, \(facts.tags) tags × \(facts.splitsPerTag) splits, "
                  + "\(facts.savedMin)–\(facts.savedMax) saved) | \(result.strategy) | "
                  + String(format: "%.4f", result.precisionAt10) + " | "
                  + (result.timing.trainingMedianMs.map { String(format: "%.1f / %.1f ms", $0, result.timing.trainingP95Ms ?? 0) } ?? "—")
                  + " | " + String(format: "%.1f / %.1f ms |", result.timing.totalMedianMs, result.timing.totalP95Ms))
        }
        guard !scaled.isEmpty else { return }
        print("\n| candidates (copies of) | features built | training per tag, median / p95 | training + ranking, median / p95 | epochs, median |")
        print("|---|---:|---:|---:|---:|")
        for result in scaled {
            print("| \(result.candidates.formatted) (\(result.collection)) | " + String(format: "%.2f s", result.featureSeconds)
                  + String(format: " | %.1f / %.1f ms", result.timing.trainingMedianMs ?? 0, result.timing.trainingP95Ms ?? 0)
                  + String(format: " | %.1f / %.1f ms", result.timing.totalMedianMs, result.timing.totalP95Ms)
                  + " | \(result.epochsMedian) |")
        }
    }
}

/// Candidate papers and the tags readers could have made of them.
private struct TaggedPapers {
    var name: String
    var papers: [Paper]
    var tags: [ReaderTag]

    /// A judged collection (each query with enough relevant documents is a tag) or a folder
    /// of Hugging Face papers pages (each page with enough papers is a tag; a paper on two
    /// pages is one candidate in both tags).
    static func load(_ directory: URL, minimumPapers: Int) throws -> TaggedPapers {
        let manager = FileManager.default
        if ["corpus.jsonl", "corpus.jsonl.gz"].contains(where: { manager.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
            let collection = try JudgedCollection.load(directory: directory)
            return TaggedPapers(name: collection.name, papers: collection.papers,
                                tags: collection.readerTags(minimumRelevant: minimumPapers))
        }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw PaperboyError(.unreadableFile, "cannot read the directory \(directory.path)", cause: error)
        }
        let pages = names.filter { $0.hasSuffix(".txt") }.sorted()
        guard !pages.isEmpty else {
            throw PaperboyError(.invalidArgument, "\(directory.path) holds neither corpus.jsonl[.gz] nor Hugging Face pages (*.txt)")
        }
        var papers: [Paper] = [], known = Set<PaperID>(), tags: [ReaderTag] = []
        for page in pages {
            var parser = try HFPagesParser(url: directory.appendingPathComponent(page))
            var tag: [PaperID] = []
            while let record = try parser.next() {
                guard case .paper(let paper) = record else { continue }
                if known.insert(paper.id).inserted { papers.append(paper) }
                if !tag.contains(paper.id) { tag.append(paper.id) }
            }
            if tag.count >= minimumPapers { tags.append(ReaderTag(name: page, papers: tag)) }
        }
        return TaggedPapers(name: directory.lastPathComponent, papers: papers, tags: tags)
    }
}

/// What a result row was measured on.
private struct CollectionFacts: Encodable {
    var collection: String
    var candidates: Int
    var vocabulary: Int
    var tags: Int
    var splitsPerTag: Int
    var savedMin: Int
    var savedMax: Int

    init(_ collection: TaggedPapers, features: PaperFeatures, evaluation: HeldOutEvaluation) {
        let saved = evaluation.splits(of: collection.tags).map(\.saved.count)
        self.collection = collection.name
        candidates = features.count
        vocabulary = features.vocabularySize
        tags = collection.tags.count
        splitsPerTag = evaluation.splitsPerTag
        savedMin = saved.min() ?? 0
        savedMax = saved.max() ?? 0
    }
}

/// Wall-clock times of each tag's recommendations: training alone (for a strategy that
/// trains) and training plus ranking every candidate and finding the reasons.
private struct TagTiming {
    var training: [Double] = []
    var total: [Double] = []
    var epochs: [Int] = []

    mutating func measure(_ strategy: any RecommendationStrategy, _ saved: [PaperID], _ features: PaperFeatures,
                          limit: Int) -> [PaperID] {
        let start = ContinuousClock.now
        guard let recommender = strategy as? Recommender else {
            let list = strategy.recommend(for: saved, among: features, limit: limit)
            total.append(Self.milliseconds(since: start))
            return list.map(\.paper)
        }
        guard let model = recommender.train(saved: saved, among: features) else { return [] }
        training.append(Self.milliseconds(since: start))
        epochs.append(model.epochs)
        let list = model.recommend(among: features, limit: limit)
        total.append(Self.milliseconds(since: start))
        return list.map(\.paper)
    }

    func summary() -> TimingSummary {
        TimingSummary(trainingMedianMs: training.isEmpty ? nil : Self.percentile(training, 0.5),
                      trainingP95Ms: training.isEmpty ? nil : Self.percentile(training, 0.95),
                      totalMedianMs: Self.percentile(total, 0.5), totalP95Ms: Self.percentile(total, 0.95))
    }

    /// Nearest-rank percentile.
    static func percentile<Value: Comparable & Numeric>(_ values: [Value], _ fraction: Double) -> Value {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[max(0, Int((fraction * Double(sorted.count)).rounded(.up)) - 1)]
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15
    }
}

private struct TimingSummary: Encodable {
    var trainingMedianMs: Double?
    var trainingP95Ms: Double?
    var totalMedianMs: Double
    var totalP95Ms: Double
}

private struct RecommendResult: Encodable {
    var facts: CollectionFacts
    var strategy: String
    var precisionAt10: Double
    var timing: TimingSummary
}

/// Timing at a larger candidate set: the collection's papers copied (same text and vector,
/// new ids) up to `candidates`, each tag's first split recommended once. The copies make
/// the ranking meaningless, so only time is reported.
private struct ScaleResult: Encodable {
    var collection: String
    var candidates: Int
    var featureSeconds: Double
    var timing: TimingSummary
    var epochsMedian: Int

    static func measure(_ collection: TaggedPapers, vectors: [[Float]], candidates: Int, recommender: Recommender,
                        splits: [HeldOutSplit]) -> ScaleResult {
        var papers: [Paper] = [], copiedVectors: [[Float]] = []
        papers.reserveCapacity(candidates)
        var copy = 0
        while papers.count < candidates, !collection.papers.isEmpty {
            for (paper, vector) in zip(collection.papers, vectors) where papers.count < candidates {
                guard copy > 0 else {
                    papers.append(paper)
                    copiedVectors.append(vector)
                    continue
                }
                guard let id = PaperID(title: "copy \(copy) of \(paper.id.rawValue)") else { continue }
                papers.append(Paper(id: id, title: paper.title, abstract: paper.abstract, sources: []))
                copiedVectors.append(vector)
            }
            copy += 1
        }
        let start = ContinuousClock.now
        let features = PaperFeatures(papers: papers, vectors: copiedVectors)
        let featureSeconds = TagTiming.milliseconds(since: start) / 1e3
        var timing = TagTiming()
        for split in splits { _ = timing.measure(recommender, split.saved, features, limit: 10) }
        return ScaleResult(collection: collection.name, candidates: features.count, featureSeconds: featureSeconds,
                           timing: timing.summary(), epochsMedian: TagTiming.percentile(timing.epochs, 0.5))
    }
}

private struct RecommendReport: Encodable {
    var results: [RecommendResult]
    var scaled: [ScaleResult]
}
