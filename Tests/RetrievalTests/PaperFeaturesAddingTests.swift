import Foundation
import PaperboyCore
import PaperboyTesting
import Testing
@testable import Retrieval

/// Papers added to a candidate set after its fit (a reader's saved papers from outside the
/// shared pool) are weighed by the set's vocabulary as it stands: a text the fit saw gets the
/// very row it got in the fit, the existing rows do not move, and unknown words count for
/// nothing.
@Suite struct PaperFeaturesAddingTests {
    static func vector(_ seed: UInt64, dimension: Int = 8) -> [Float] {
        var random = SplitMix64(seed: seed)
        let raw = (0..<dimension).map { _ in Float.random(in: -1...1, using: &random) }
        let length = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return raw.map { $0 / length }
    }

    static func keywordRow(_ features: PaperFeatures, _ row: Int) -> [Int32: Float] {
        var entries: [Int32: Float] = [:]
        for entry in features.keywords.range(of: row) {
            entries[features.keywords.columns[entry]] = features.keywords.weights[entry]
        }
        return entries
    }

    @Test func anAddedCopyOfAFittedPaperGetsItsRowAndNothingElseMoves() throws {
        let papers = try RecommenderTests.pagePapers(60)
        let features = PaperFeatures(papers: papers, vectors: papers.indices.map { Self.vector(UInt64($0)) })
        let original = papers[7]
        let copy = Paper(id: try #require(PaperID(title: "a copy of \(original.title)")), title: original.title,
                         abstract: original.abstract, sources: [])
        let added = features.adding(papers: [papers[3], copy], vectors: [Self.vector(3), Self.vector(7)])

        #expect(added.count == features.count + 1, "a paper already a candidate is not added twice")
        #expect(added.row(of: copy.id) == features.count)
        #expect(added.row(of: papers[3].id) == 3)
        #expect(added.vocabularySize == features.vocabularySize)
        #expect(!Self.keywordRow(added, features.count).isEmpty)
        #expect(Self.keywordRow(added, features.count) == Self.keywordRow(features, 7))
        #expect(added.similarity(features.count, 7) > 0.999)
        for row in [0, 7, 59] {
            #expect(Self.keywordRow(added, row) == Self.keywordRow(features, row))
            #expect(added.similarity(row, 3) == features.similarity(row, 3))
        }
    }

    @Test func wordsTheVocabularyNeverSawCountForNothing() throws {
        let papers = try RecommenderTests.pagePapers(60)
        let features = PaperFeatures(papers: papers, vectors: papers.indices.map { Self.vector(UInt64($0)) })
        let stranger = Paper(id: try #require(PaperID(title: "zyxwv qwertz")), title: "Zyxwvutsr qwertzuiop",
                             abstract: "Plumbobs frobnicate quuxes.", sources: [])
        let added = features.adding(papers: [stranger], vectors: [Self.vector(99)])
        #expect(added.count == features.count + 1)
        #expect(Self.keywordRow(added, features.count).isEmpty)
        #expect(added.keywords.squaredNorm(row: features.count) == 0)
    }
}
