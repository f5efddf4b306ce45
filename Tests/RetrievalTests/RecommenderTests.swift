import Foundation
import Ingestion
import PaperboyCore
import PaperboyTesting
import Testing
@testable import Embedding
@testable import Retrieval

/// The per-tag recommender and its baseline: the SVM separates what can be separated, the
/// reason names the saved paper a recommendation is nearest to, a seed fixes everything,
/// and on real judged tags embedded by the real model the SVM beats "most similar to the
/// last saved paper".
@Suite struct RecommenderTests {
    /// Real titles and abstracts (the Hugging Face pages), the first `count` distinct ones.
    static func pagePapers(_ count: Int) throws -> [Paper] {
        var papers: [Paper] = [], seen = Set<PaperID>()
        for file in try Fixtures.hfPages {
            var parser = try HFPagesParser(url: file)
            while let record = try parser.next(), papers.count < count {
                if case .paper(let paper) = record, seen.insert(paper.id).inserted { papers.append(paper) }
            }
        }
        return papers
    }

    /// A unit vector at distance 0.5 (before normalising) from axis `topic` in a random
    /// direction: papers of one topic are near each other and far from other topics.
    static func vector(nearTopic topic: Int, _ random: inout SplitMix64, dimension: Int = 384) -> [Float] {
        var noise = (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }
        let noiseLength = noise.reduce(0) { $0 + $1 * $1 }.squareRoot()
        noise = noise.map { 0.5 * $0 / noiseLength }
        noise[topic] += 1
        let length = noise.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return noise.map { $0 / length }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    @Test func trainerSeparatesClearlySeparablePapers() throws {
        let papers = try Self.pagePapers(60)
        var random = SplitMix64(seed: 11)
        // Papers 0..<15 on topic 0; the others spread over topics 1…5.
        let vectors = papers.indices.map { Self.vector(nearTopic: $0 < 15 ? 0 : 1 + $0 % 5, &random) }
        let features = PaperFeatures(papers: papers, vectors: vectors)
        let model = try #require(Recommender().train(saved: papers[..<15].map(\.id), among: features))
        let values = model.decisionValues(of: features)
        let weakestSaved = try #require(values[..<15].min())
        let strongestOther = try #require(values[15...].max())
        #expect(weakestSaved > 0)
        #expect(strongestOther < 0)
        #expect(weakestSaved > strongestOther)
    }

    @Test func unsavedPapersOfTheSavedTopicComeFirst() throws {
        let papers = try Self.pagePapers(60)
        var random = SplitMix64(seed: 12)
        // Every fourth paper on topic 0 (15 of them), the others spread over topics 1…5.
        let vectors = papers.indices.map { Self.vector(nearTopic: $0 % 4 == 0 ? 0 : 1 + $0 % 5, &random) }
        let features = PaperFeatures(papers: papers, vectors: vectors)
        let topic = stride(from: 0, to: 60, by: 4).map { papers[$0].id }
        // Ten of the topic saved; the other five are unlabeled, so they train as negatives.
        let recommended = Recommender().recommend(for: Array(topic[..<10]), among: features, limit: 5)
        #expect(Set(recommended.map(\.paper)) == Set(topic[10...]))
        #expect(recommended.map(\.score) == recommended.map(\.score).sorted(by: >))
    }

    @Test func reasonNamesTheNearestSavedPaper() throws {
        let papers = try Self.pagePapers(40)
        var random = SplitMix64(seed: 13)
        // Papers 0, 1, 2 are saved, one per topic 0, 1, 2; every paper sits near one of topics 0…4.
        let vectors = papers.indices.map { Self.vector(nearTopic: $0 % 5, &random) }
        let features = PaperFeatures(papers: papers, vectors: vectors)
        let saved = papers[..<3].map(\.id)
        let strategies: [any RecommendationStrategy] = [Recommender(), MostSimilarToLastSaved()]
        for strategy in strategies {
            let recommended = strategy.recommend(for: saved, among: features, limit: 12)
            #expect(recommended.count == 12)
            for recommendation in recommended {
                let row = try #require(papers.firstIndex { $0.id == recommendation.paper })
                let nearest = try #require((0..<3).max { Self.dot(vectors[row], vectors[$0]) < Self.dot(vectors[row], vectors[$1]) })
                #expect(recommendation.reason.savedPaper == saved[nearest], "\(strategy.name): \(row)")
                #expect(abs(recommendation.reason.similarity - Self.dot(vectors[row], vectors[nearest])) < 1e-4)
                #expect(!saved.contains(recommendation.paper))
            }
        }
        // Not always the last saved paper: papers of topics 0 and 1 name their own.
        let reasons = Recommender().recommend(for: saved, among: features, limit: 12).map(\.reason.savedPaper)
        #expect(Set(reasons) == Set(saved))
    }

    @Test func recommendationsAreDeterministicForASeed() throws {
        let papers = try Self.pagePapers(150)
        var random = SplitMix64(seed: 14)
        let vectors = papers.indices.map { Self.vector(nearTopic: $0 % 6, &random) }
        let features = PaperFeatures(papers: papers, vectors: vectors)
        let saved = stride(from: 0, to: 48, by: 6).map { papers[$0].id }
        // 30 of the 142 unsaved papers are sampled, so the seed decides which.
        func run(seed: UInt64) throws -> (values: [Float], list: [Recommendation]) {
            let recommender = Recommender(settings: .init(negativeSampleSize: 30, seed: seed))
            let model = try #require(recommender.train(saved: saved, among: features))
            return (model.decisionValues(of: features), recommender.recommend(for: saved, among: features, limit: 10))
        }
        let first = try run(seed: 7), again = try run(seed: 7), other = try run(seed: 8)
        #expect(first.values == again.values)
        #expect(first.list == again.list)
        #expect(first.values != other.values)

        let tags = [ReaderTag(name: "topic 0", papers: papers.indices.filter { $0 % 6 == 0 }.map { papers[$0].id })]
        let splits = HeldOutEvaluation(seed: 3).splits(of: tags).map(\.saved)
        #expect(splits == HeldOutEvaluation(seed: 3).splits(of: tags).map(\.saved))
        #expect(splits != HeldOutEvaluation(seed: 4).splits(of: tags).map(\.saved))
    }

    @Test func keywordVectorsKeepTheVocabularyLimitAndUnitLength() throws {
        let papers = try Self.pagePapers(80)
        var random = SplitMix64(seed: 15)
        let vectors = papers.indices.map { _ in Self.vector(nearTopic: 0, &random) }
        let features = PaperFeatures(papers: papers, vectors: vectors, vocabularyLimit: 300)
        #expect(features.vocabularySize == 300)
        for row in 0..<features.count {
            #expect(abs(features.keywords.squaredNorm(row: row) - 1) < 1e-4)
            #expect(features.keywords.columns[features.keywords.range(of: row)].allSatisfy { $0 >= 0 && $0 < 300 })
        }
    }

    /// The first five Cranfield queries with at least 8 relevant documents as tags, over
    /// their documents and the first 50 others of the corpus, embedded by the real model
    /// (about 120 papers: a few seconds of embedding).
    @Test func recommenderBeatsMostSimilarToLastSavedOnRealTags() throws {
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return
        }
        let collection = try JudgedCollection.load(directory: Fixtures.shared("eval/cranfield"))
        let tags = Array(collection.readerTags(minimumRelevant: 8).prefix(5))
        let tagged = Set(tags.flatMap(\.papers))
        let others = collection.papers.filter { !tagged.contains($0.id) }.prefix(50)
        let papers = collection.papers.filter { tagged.contains($0.id) } + others
        let embedder = try SentenceEmbedder(modelDirectory: Fixtures.modelDirectory)
        let features = PaperFeatures(papers: papers, vectors: try embedder.embed(papers.map(\.embeddingText)))
        let evaluation = HeldOutEvaluation(splitsPerTag: 4, seed: 1)
        let recommender = evaluation.meanPrecision(of: Recommender(), tags: tags, features: features)
        let baseline = evaluation.meanPrecision(of: MostSimilarToLastSaved(), tags: tags, features: features)
        print("Cranfield slice, \(papers.count) papers, \(tags.count) tags: precision@10 recommender \(recommender), baseline \(baseline)")
        #expect(recommender > baseline)
    }
}
