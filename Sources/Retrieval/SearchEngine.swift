import Foundation
import PaperboyCore
import SearchIndex
import TextAnalysis

/// One result of a search, ready to show: the paper, its score, a snippet of its abstract
/// with the reader's words marked, and (when asked) each term's share of the score.
public struct SearchHit: Sendable {
    public var paper: Paper
    public var score: Float
    public var snippet: Snippet
    public var explanation: [TermContribution]?
}

/// The one ranking path behind the CLI, the web pages, the JSON API and the feeds: query
/// text in, ranked papers out.
public struct SearchEngine: Sendable {
    public let store: any PaperStore
    public var keywordIndex: KeywordIndex
    public var options: SearchOptions

    public init(store: any PaperStore, keywordIndex: KeywordIndex, options: SearchOptions = SearchOptions()) {
        self.store = store
        self.keywordIndex = keywordIndex
        self.options = options
    }

    /// The best `limit` papers for what the reader typed, after skipping `offset`.
    /// Throws `QuerySyntaxError` (with the column) when the query is malformed.
    public func search(_ text: String, limit: Int = 10, offset: Int = 0, explain: Bool = false) async throws -> [SearchHit] {
        let parsed = try QueryParser.parse(text)
        let compiled = keywordIndex.compile(parsed, options: options)
        let ranked = keywordIndex.search(compiled.query, limit: offset + limit, days: compiled.days).dropFirst(offset)
        let highlighter = Highlighter()
        var hits: [SearchHit] = []
        for hit in ranked {
            // The store is the source of truth: a paper merged away since indexing resolves to its new record.
            guard let id = PaperID(hit.id), let paper = try await store.paper(id: id) else { continue }
            hits.append(SearchHit(
                paper: paper, score: hit.score,
                snippet: highlighter.snippet(of: paper.abstract, terms: compiled.highlightTerms),
                explanation: explain ? keywordIndex.explain(compiled.query, id: hit.id) : nil))
        }
        return hits
    }
}
