import Testing
@testable import Retrieval

@Suite struct RankFusionTests {
    let keyword: RankFusion.Ranking = [("a", 12), ("b", 8), ("c", 2)]
    let semantic: RankFusion.Ranking = [("c", 0.9), ("d", 0.8), ("a", 0.1)]

    @Test func reciprocalRankSumsOneOverSixtyPlusRank() {
        let fused = RankFusion.reciprocalRank().fuse(keyword: keyword, semantic: semantic)
        // a: 1/61 + 1/63, c: 1/63 + 1/61 (a tie, broken by the keyword rank), b: 1/62, d: 1/62.
        #expect(fused.map(\.id) == ["a", "c", "b", "d"])
        #expect(abs(Double(fused[0].score) - (1.0 / 61 + 1.0 / 63)) < 1e-6)
    }

    @Test func relativeScoreNormalizesEachListToUnitRange() {
        let fused = RankFusion.relativeScore(keywordWeight: 0.5).fuse(keyword: keyword, semantic: semantic)
        let scores = Dictionary(uniqueKeysWithValues: fused.map { ($0.id, Double($0.score)) })
        #expect(abs(scores["a"]! - 0.5) < 1e-6, "top keyword (1) and bottom semantic (0)")
        #expect(abs(scores["c"]! - 0.5) < 1e-6, "bottom keyword (0) and top semantic (1)")
        #expect(abs(scores["b"]! - 0.5 * 0.6) < 1e-6)
        #expect(abs(scores["d"]! - 0.5 * 0.875) < 1e-6)
        #expect(fused.map(\.id) == ["a", "c", "d", "b"])
    }

    @Test func emptyListsFuseToTheOther() {
        #expect(RankFusion.reciprocalRank().fuse(keyword: [], semantic: semantic).map(\.id) == ["c", "d", "a"])
        #expect(RankFusion.relativeScore().fuse(keyword: keyword, semantic: []).map(\.id) == ["a", "b", "c"])
        #expect(RankFusion.relativeScore().fuse(keyword: [("x", 3)], semantic: []).first?.score == 0.5)
    }
}
