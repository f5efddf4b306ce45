import Foundation
import Hummingbird
import PaperboyCore
import Retrieval

/// One search result: the paper, its score and its snippet.
struct SearchHitRecord: Encodable, Sendable {
    var paper: PaperRecord
    var score: Double
    var snippet: SnippetRecord
}

/// `GET /api/v1/search`.
struct SearchResponse: Encodable, Sendable {
    var query: String
    var mode: String
    var sort: String
    var page: Int
    var size: Int
    var hasMore: Bool
    /// True when no mode was asked for and there is no model: keywords alone ranked.
    var keywordsOnly: Bool
    var results: [SearchHitRecord]

    init(_ results: SearchResults) {
        query = results.request.query
        mode = results.mode.rawValue
        sort = results.request.sort.rawValue
        page = results.request.page
        size = results.request.pageSize
        hasMore = results.hasMore
        keywordsOnly = results.keywordsOnly
        self.results = results.hits.map {
            SearchHitRecord(paper: PaperRecord($0.paper), score: Double($0.score), snippet: SnippetRecord($0.snippet))
        }
    }
}

/// `GET /api/v1/papers/{id}/similar`.
struct SimilarResponse: Encodable, Sendable {
    var id: String
    var results: [SearchHitRecord]
}

/// A paper in a feed, with its feed score.
struct RankedPaperRecord: Encodable, Sendable {
    var paper: PaperRecord
    var score: Double
}

/// `GET /api/v1/daily`.
struct DailyResponse: Encodable, Sendable {
    var view: String
    /// First day of the window, `yyyy-mm-dd`; nil when the store is empty.
    var date: String?
    var title: String?
    var category: String?
    var previous: String?
    var next: String?
    var papers: [RankedPaperRecord]
}

/// `GET /api/v1/trending`.
struct TrendingResponse: Encodable, Sendable {
    var category: String?
    var page: Int
    var size: Int
    var total: Int
    var hasMore: Bool
    var papers: [RankedPaperRecord]
}

/// `GET /api/v1/stats`.
struct StatsResponse: Encodable, Sendable {
    struct Category: Encodable, Sendable {
        var category: String
        var papers: Int
    }

    var papers: Int
    var papersBySource: [String: Int]
    var topCategories: [Category]
    var earliestPublished: String?
    var latestPublished: String?
    var keywordIndexDocuments: Int
    var semanticSearch: Bool
}

/// Encodes API answers the one way: snake_case keys, sorted for stable output.
enum APIJSON {
    static let headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]

    static func response(_ value: some Encodable) throws -> Response {
        let body = try self.body(value)
        return Response(status: body.status, headers: headers, body: ResponseBody(byteBuffer: body.bytes))
    }

    static func body(_ value: some Encodable) throws -> RenderedBody {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return RenderedBody(bytes: ByteBuffer(bytes: try encoder.encode(value)))
    }
}
