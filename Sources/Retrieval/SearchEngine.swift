import Foundation
import PaperboyCore
import SearchIndex
import TextAnalysis
import VectorIndex

/// One result of a search, ready to show: the paper, its score, a snippet of its abstract
/// with the reader's words marked, and (when asked) each term's share of the score.
public struct SearchHit: Sendable {
    public var paper: Paper
    public var score: Float
    public var snippet: Snippet
    public var explanation: [TermContribution]?
}

/// The one ranking path behind the CLI, the web pages, the JSON API and the feeds: query
/// text in, ranked papers out, by keywords, by meaning, or both fused.
public struct SearchEngine: Sendable {
    public let store: any PaperStore
    public var keywordIndex: KeywordIndex
    /// Nil when no model is installed: then only keyword search runs.
    public var semanticIndex: SemanticIndex?
    public var options: SearchOptions
    public var fusion: RankFusion
    /// How deep each ranking goes before fusion: fusion can only reorder what either list
    /// found, and 100 keeps a paper that one mode ranks low but the other high.
    public var fusionDepth: Int
    /// The papers results showed lately, which keep searches answering while the store is
    /// away (a server's; nil for the CLI, which has nothing to outlive).
    public var memory: PaperMemory?

    public init(store: any PaperStore, keywordIndex: KeywordIndex, semanticIndex: SemanticIndex? = nil,
                options: SearchOptions = SearchOptions(), fusion: RankFusion = .reciprocalRank(),
                fusionDepth: Int = 100, memory: PaperMemory? = nil) {
        self.store = store
        self.memory = memory
        self.keywordIndex = keywordIndex
        self.semanticIndex = semanticIndex
        self.options = options
        self.fusion = fusion
        self.fusionDepth = fusionDepth
    }

    /// Hybrid when the semantic half is there, keyword otherwise.
    public var defaultMode: SearchMode { semanticIndex == nil ? .keyword : .hybrid }

    /// The best `limit` papers for what the reader typed, after skipping `offset`.
    /// Throws `QuerySyntaxError` (with the column) when the query is malformed, and
    /// `SearchUnavailable` when `mode` needs the model and there is none.
    public func search(_ text: String, mode: SearchMode? = nil, limit: Int = 10, offset: Int = 0,
                       explain: Bool = false) async throws -> [SearchHit] {
        try await search(QueryParser.parse(text), mode: mode, limit: limit, offset: offset, explain: explain)
    }

    /// `search(_:)` for a query already parsed, which the web app narrows with its form's
    /// filters before searching.
    public func search(_ parsed: ParsedQuery, mode: SearchMode? = nil, limit: Int = 10, offset: Int = 0,
                       explain: Bool = false) async throws -> [SearchHit] {
        let compiled = keywordIndex.compile(parsed, options: options)
        let ranked = try rank(parsed, compiled, mode: mode ?? defaultMode, depth: offset + limit).dropFirst(offset)
        let found = ranked.compactMap { hit in PaperID(hit.id).map { (id: $0, hit: hit) } }
        let papers = try await papers(found.map(\.id))
        let highlighter = Highlighter()
        var terms = TermCache(capacity: 2048)
        var hits: [SearchHit] = []
        for (id, hit) in found {
            guard let paper = papers[id] else { continue }
            hits.append(SearchHit(
                paper: paper, score: hit.score,
                snippet: highlighter.snippet(of: paper.abstract, terms: compiled.highlightTerms, cache: &terms),
                explanation: explain ? keywordIndex.explain(compiled.query, id: hit.id) : nil))
        }
        return hits
    }

    /// The papers of a result list, read from the store (the source of truth: a paper merged
    /// away since indexing resolves to its new record), through `memory` when there is one.
    private func papers(_ ids: [PaperID]) async throws -> [PaperID: Paper] {
        if let memory { return try await memory.papers(ids, from: store) }
        return try await store.papers(ids: ids)
    }

    /// Ids and scores of the best `depth` papers, best first.
    public func rank(_ text: String, mode: SearchMode, depth: Int) throws -> RankFusion.Ranking {
        let parsed = try QueryParser.parse(text)
        return try rank(parsed, keywordIndex.compile(parsed, options: options), mode: mode, depth: depth)
    }

    private func rank(_ parsed: ParsedQuery, _ compiled: CompiledQuery, mode: SearchMode, depth: Int) throws -> RankFusion.Ranking {
        let meaning = QueryText.meaning(of: parsed)
        if mode != .keyword, semanticIndex == nil { throw SearchUnavailable(mode: mode) }
        // A query of filters alone has no meaning to embed: it lists what the filters let through.
        guard mode != .keyword, let semanticIndex, !meaning.isEmpty else {
            return keywordRanking(compiled, depth: depth)
        }
        let semantic = try semanticRanking(semanticIndex.embed(meaning), compiled, depth: mode == .hybrid ? max(depth, fusionDepth) : depth)
        guard mode == .hybrid else { return semantic }
        let keyword = keywordRanking(compiled, depth: max(depth, fusionDepth))
        return Array(fusion.fuse(keyword: keyword, semantic: semantic).prefix(depth))
    }

    private func keywordRanking(_ compiled: CompiledQuery, depth: Int) -> RankFusion.Ranking {
        keywordIndex.search(compiled.query, limit: depth, days: compiled.days).map { (id: $0.id, score: $0.score) }
    }

    /// Nearest papers to `vector` among those the query's constraint and dates let through.
    private func semanticRanking(_ vector: [Float], _ compiled: CompiledQuery, depth: Int,
                                 excluding excluded: Set<String> = []) -> RankFusion.Ranking {
        guard let vectors = semanticIndex?.vectors else { return [] }
        let hits: [VectorHit]
        if compiled.constraint != nil || compiled.days != nil {
            let allowed = keywordIndex.matchingIDs(compiled.constraint ?? .all, days: compiled.days)
            hits = vectors.search(vector, k: depth + excluded.count, among: allowed)
        } else {
            hits = vectors.search(vector, k: depth + excluded.count)
        }
        return hits.lazy.filter { !excluded.contains($0.key) }.prefix(depth).map { (id: $0.key, score: $0.score) }
    }
}

extension SearchEngine {
    /// The papers most like `paper`: its vector's nearest neighbours fused with a lexical
    /// more-like-this query on its title and abstract, without the paper itself or another
    /// record of it (same title or DOI). `filters` is a query of filters (`cat:cs.CL
    /// since:2024`) the results must pass. Keyword neighbours alone when there is no model
    /// or the paper has no vector yet.
    public func similar(to paper: Paper, limit: Int = 10, filters: String = "") async throws -> [SearchHit] {
        let parsed = try QueryParser.parse(filters)
        var compiled = keywordIndex.compile(parsed, options: options)
        let lexical = keywordIndex.moreLikeThis(title: paper.title, abstract: paper.abstract)
        if case let .boolean(required, _, excluded) = compiled.constraint {
            compiled.query = .boolean(required: required, optional: [lexical], excluded: excluded)
        } else {
            compiled.query = lexical
        }
        let depth = max(fusionDepth, limit) + 8
        let keyword = keywordRanking(compiled, depth: depth)
        var ranking = keyword
        if let semanticIndex {
            let vector = try semanticIndex.vectors.store.vector(for: paper.id.rawValue)
                ?? semanticIndex.embed(paper.embeddingText)
            let semantic = semanticRanking(vector, compiled, depth: depth, excluding: [paper.id.rawValue])
            ranking = fusion.fuse(keyword: keyword, semantic: semantic)
        }
        let titleKey = PaperID(title: paper.title)
        // Enough candidates for `limit` after dropping other records of the paper itself.
        let candidates = ranking.lazy.filter { $0.id != paper.id.rawValue }.compactMap { hit in
            PaperID(hit.id).map { (id: $0, score: hit.score) }
        }.prefix(limit + 8)
        let papers = try await papers(candidates.map(\.id))
        let highlighter = Highlighter()
        var terms = TermCache(capacity: 2048)
        var hits: [SearchHit] = []
        for candidate in candidates where hits.count < limit {
            guard let other = papers[candidate.id], other.id != paper.id,
                  titleKey == nil || PaperID(title: other.title) != titleKey,
                  paper.doi == nil || other.doi?.lowercased() != paper.doi?.lowercased() else { continue }
            hits.append(SearchHit(paper: other, score: candidate.score,
                                  snippet: highlighter.snippet(of: other.abstract, terms: [], cache: &terms), explanation: nil))
        }
        return hits
    }
}
