/// Ways to merge a keyword ranking and a semantic ranking of the same query into one.
/// Both are measured on the judged collections (`paperboy bench eval`, BENCHMARKS.md).
public enum RankFusion: Sendable, Equatable {
    /// Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): Σ 1 / (k + rank). Uses
    /// ranks only, so it needs no calibration between BM25 and cosine scales; k = 60 is the
    /// paper's constant and the common default (Elasticsearch, OpenSearch, Vespa).
    case reciprocalRank(k: Double = 60)
    /// Relative score fusion (Weaviate's default): each list's scores min-max normalized to
    /// [0, 1] over its top candidates, then `keywordWeight · keyword + (1 − keywordWeight) ·
    /// semantic`; a paper missing from a list gets 0 there.
    case relativeScore(keywordWeight: Double = 0.5)

    /// One ranking's candidates, best first.
    public typealias Ranking = [(id: String, score: Float)]

    /// The fused ranking, best first; ties go to the better keyword rank, then the id.
    public func fuse(keyword: Ranking, semantic: Ranking) -> Ranking {
        var fused: [String: Double] = [:]
        switch self {
        case .reciprocalRank(let k):
            for list in [keyword, semantic] {
                for (rank, hit) in list.enumerated() { fused[hit.id, default: 0] += 1 / (k + Double(rank + 1)) }
            }
        case .relativeScore(let weight):
            for (list, share) in [(keyword, weight), (semantic, 1 - weight)] {
                for (id, value) in Self.normalized(list) { fused[id, default: 0] += share * value }
            }
        }
        let keywordRank = Dictionary(keyword.enumerated().map { ($1.id, $0) }, uniquingKeysWith: min)
        return fused.sorted { a, b in
            if a.value != b.value { return a.value > b.value }
            let ra = keywordRank[a.key] ?? .max, rb = keywordRank[b.key] ?? .max
            return ra != rb ? ra < rb : a.key < b.key
        }.map { (id: $0.key, score: Float($0.value)) }
    }

    /// Min-max normalized scores; a list whose scores are all equal maps to 1.
    static func normalized(_ list: Ranking) -> [(String, Double)] {
        guard let high = list.map(\.score).max(), let low = list.map(\.score).min() else { return [] }
        let span = Double(high - low)
        return list.map { ($0.id, span > 0 ? Double($0.score - low) / span : 1) }
    }
}
