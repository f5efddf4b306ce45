import Testing
@testable import SearchIndex

/// Pruned top-k search must return exactly what scoring every matching document returns,
/// while scoring far fewer documents.
@Suite struct DynamicPruningTests {
    static let boosts: [(SearchField, Float)] = [(.title, 2), (.abstract, 1), (.authors, 1)]

    /// A free-text word over the default fields, as the query compiler makes it.
    static func word(_ term: String) -> KeywordQuery {
        .anyOf(boosts.map { .term(term, field: $0.0, boost: $0.1) })
    }

    static func queries(_ corpus: inout SyntheticCorpus, count: Int) -> [KeywordQuery] {
        (0..<count).map { i in
            let words = corpus.words(1...5)
            switch i % 5 {
            case 0: return .boolean(required: [word(words[0])], optional: words.dropFirst().map(word), excluded: [])
            case 1 where words.count > 1:
                return .boolean(required: [], optional: words.dropLast().map(word), excluded: [word(words[words.count - 1])])
            case 2: return .boolean(required: [.filter("cs.lg", field: .categories)], optional: words.map(word), excluded: [])
            case 3 where words.count > 1:
                return .boolean(required: [], optional: [.phrase(Array(words.prefix(2)), field: .abstract, boost: 1)] + words.map(word), excluded: [])
            default: return .anyOf(words.map(word))
            }
        }
    }

    static func expectSame(_ pruned: [KeywordHit], _ exhaustive: [KeywordHit], _ query: KeywordQuery) {
        #expect(pruned == exhaustive, "query \(query)")
    }

    @Test func prunedSearchEqualsExhaustiveScoringOnOneSegment() {
        var corpus = SyntheticCorpus(seed: 7)
        let index = KeywordIndex.build(corpus.documents(8_000))
        var evaluatedPruned = 0, evaluatedAll = 0
        for query in Self.queries(&corpus, count: 150) {
            let pruned = index.topDocuments(query, limit: 10, days: nil, pruning: true)
            let exhaustive = index.topDocuments(query, limit: 10, days: nil, pruning: false)
            Self.expectSame(pruned.hits, exhaustive.hits, query)
            evaluatedPruned += pruned.evaluated
            evaluatedAll += exhaustive.evaluated
        }
        // Pruning must skip most matching documents, not merely give the same answer.
        print("pruned search scored \(evaluatedPruned) of \(evaluatedAll) matching documents")
        #expect(evaluatedPruned * 4 < evaluatedAll, "pruned \(evaluatedPruned) of \(evaluatedAll)")
    }

    @Test func prunedSearchEqualsExhaustiveAcrossSegmentsDeletionsAndDates() {
        var corpus = SyntheticCorpus(seed: 11)
        var index = KeywordIndex.build(corpus.documents(4_000))
        index.add(corpus.documents(3_000, prefix: "q"))
        index.add(corpus.documents(500, prefix: "p"))   // new versions of p0…p499
        index.remove(ids: (0..<700).map { "q\($0 * 3)" })
        #expect(index.segmentCount == 3)
        #expect(index.documentCount == 4_000 + 3_000 - 700)
        for (i, query) in Self.queries(&corpus, count: 100).enumerated() {
            let days: ClosedRange<Int32>? = i % 3 == 0 ? 19_200...19_700 : nil
            for limit in [1, 10, 100] {
                let pruned = index.search(query, limit: limit, days: days, pruning: true)
                let exhaustive = index.search(query, limit: limit, days: days, pruning: false)
                Self.expectSame(pruned, exhaustive, query)
            }
        }
    }

    @Test func deletedAndReplacedPapersAreNotFoundTwice() {
        var corpus = SyntheticCorpus(seed: 3)
        var index = KeywordIndex.build(corpus.documents(2_000))
        let replacement = IndexDocument(id: "p5", day: 19_500, fields: [
            FieldTerms(words: ["zeppelin"]), FieldTerms(words: ["zeppelin", "airship"]), FieldTerms(), FieldTerms()])
        index.add([replacement])
        let hits = index.search(.anyOf([.term("zeppelin", field: .title, boost: 2), .term("zeppelin", field: .abstract, boost: 1)]))
        #expect(hits.map(\.id) == ["p5"])
        index.remove(ids: ["p5"])
        #expect(index.search(.term("zeppelin", field: .title, boost: 1)).isEmpty)
        #expect(!index.contains(id: "p5") && index.contains(id: "p6"))
    }
}

/// Merging segments changes where documents live, never what a search finds.
@Suite struct SegmentMergeTests {
    @Test func mergedSegmentsSearchExactlyLikeAFreshBuildOfTheLiveDocuments() {
        var corpus = SyntheticCorpus(seed: 5)
        var documents = corpus.documents(1_500)
        var index = KeywordIndex.build(documents)
        for batch in 0..<4 {
            let added = corpus.documents(300, prefix: "b\(batch)-")
            index.add(added)
            documents += added
        }
        let removed = Set((0..<200).map { "p\($0 * 5)" })
        index.remove(ids: removed)
        index.optimize()
        let fresh = KeywordIndex.build(documents.filter { !removed.contains($0.id) })
        #expect(index.segmentCount == 1 && index.documentCount == fresh.documentCount)
        // Phrases check that positions survived the merge; scores, that lengths and statistics did.
        for query in DynamicPruningTests.queries(&corpus, count: 80) {
            #expect(index.search(query, limit: 20) == fresh.search(query, limit: 20), "query \(query)")
        }
    }

    @Test func manySmallAdditionsAreMergedAutomatically() {
        var corpus = SyntheticCorpus(seed: 9)
        var index = KeywordIndex.build(corpus.documents(500))
        for batch in 0..<20 { index.add(corpus.documents(10, prefix: "s\(batch)-")) }
        #expect(index.segmentCount <= KeywordIndex.segmentLimit)
        #expect(index.documentCount == 700)
        for batch in 0..<20 { #expect(index.contains(id: "s\(batch)-7")) }
    }
}
