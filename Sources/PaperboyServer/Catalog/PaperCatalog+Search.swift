import Foundation
import PaperboyCore
import Retrieval
import SearchIndex

/// One page of search results.
public struct SearchResults: Sendable {
    public var request: SearchRequest
    public var hits: [SearchHit]
    /// Whether a next page exists.
    public var hasMore: Bool
    /// The mode that ranked them (the default resolved).
    public var mode: SearchMode
    /// Set when the reader asked for no mode and there is no model: keywords alone ranked.
    public var keywordsOnly: Bool
}

extension PaperCatalog {
    /// Runs `request` on the one ranking path the CLI uses. Throws `ParameterError` for a
    /// query that does not parse or a mode that cannot run here.
    public func search(_ request: SearchRequest) async throws -> SearchResults {
        let engine = self.engine
        let meaning = searchesByMeaning
        let mode = request.mode ?? (meaning ? engine.defaultMode : .keyword)
        if mode != .keyword, !meaning {
            throw ParameterError("mode", SearchUnavailable(mode: mode).description)
        }
        let empty = SearchResults(request: request, hits: [], hasMore: false, mode: mode,
                                  keywordsOnly: request.mode == nil && !meaning)
        guard !request.isEmpty, let parsed = try request.parsed() else { return empty }
        let offset = (request.page - 1) * request.pageSize
        var results = empty
        switch request.sort {
        case .relevance:
            let hits = try await engine.search(parsed, mode: mode, limit: request.pageSize + 1, offset: offset)
            results.hits = Array(hits.prefix(request.pageSize))
            results.hasMore = hits.count > request.pageSize
        case .newest:
            let hits = try await engine.search(parsed, mode: mode, limit: SearchRequest.newestDepth)
                .sorted { a, b in
                    let da = a.paper.published ?? .distantPast, db = b.paper.published ?? .distantPast
                    return da != db ? da > db : a.paper.id < b.paper.id
                }
            results.hits = Array(hits.dropFirst(offset).prefix(request.pageSize))
            results.hasMore = hits.count > offset + request.pageSize
        }
        return results
    }

    /// Whether search by meaning can find anything: a model is installed and papers have
    /// vectors. Without vectors a "hybrid" search would be keywords under another name.
    public var searchesByMeaning: Bool {
        engine.semanticIndex.map { $0.vectors.count > 0 } ?? false
    }

    /// Papers most like `paper` (vector neighbours fused with more-like-this).
    public func similar(to paper: Paper, limit: Int = 10) async throws -> [SearchHit] {
        try await engine.similar(to: paper, limit: limit)
    }

    /// Completions of the last word of `prefix` from the titles' vocabulary, for type-ahead.
    public func suggestions(for prefix: String, limit: Int = 8) async throws -> [String] {
        let words = prefix.split(separator: " ")
        guard let last = words.last, last.count >= 2 else { return [] }
        let request = SearchRequest(query: "title:\(last)*", mode: .keyword, pageSize: limit)
        guard let parsed = try? request.parsed() else { return [] }
        let hits = try await engine.search(parsed, mode: .keyword, limit: limit)
        return hits.map(\.paper.title)
    }
}
