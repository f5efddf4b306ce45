import Foundation
import PaperboyCore

/// One `api/query` response, read whole: its papers, rejections and the OpenSearch count that
/// pages the list. A response whose `<feed>` never closed was cut short on the way and is
/// refused as `IncompletePage`, so the client fetches it again instead of storing half a page.
struct ArxivAPIPage {
    var papers: [Paper] = []
    var rejections: [Rejection] = []
    /// `opensearch:totalResults`: how many results the whole request matches.
    var totalResults: Int?
    /// arXiv's explanation when the response is its error feed ("incorrect id format for abc").
    var apiError: String?

    /// Entries read, papers or not: how far the page moves `start`.
    var entries: Int { papers.count + rejections.count }

    init(_ data: Data, url: String) throws {
        var parser = ArxivAtomParser(source: DataByteSource(data), file: url)
        (papers, rejections) = try parser.drain()
        guard parser.isComplete else { throw IncompletePage(url: url, bytes: data.count) }
        totalResults = parser.totalResults
        apiError = parser.apiError
        // The error feed is the page's answer, not a record's fault.
        if apiError != nil { rejections.removeAll { $0.reason.hasPrefix("arXiv API error: ") } }
    }

    /// arXiv's explanation in the body of a refused request, when the body is its error feed
    /// (arXiv answers a bad query with HTTP 400 and says why only there).
    static func apiError(in data: Data) -> String? {
        var parser = ArxivAtomParser(source: DataByteSource(data), file: "")
        _ = try? parser.drain()
        return parser.apiError
    }
}
