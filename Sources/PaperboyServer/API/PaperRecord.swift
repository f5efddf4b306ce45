import Foundation
import PaperboyCore
import TextAnalysis

/// A paper as the JSON API answers it: the stored record with dates as ISO 8601 strings
/// and the links the pages would show, so a client needs no knowledge of arXiv's URLs.
struct PaperRecord: Encodable, Sendable {
    var id: String
    var title: String
    var abstract: String
    var authors: [String]
    var categories: [String]
    var primaryCategory: String?
    var published: String?
    var updated: String?
    var version: Int?
    var doi: String?
    var journalRef: String?
    var comments: String?
    var abstractUrl: String?
    var pdfUrl: String?
    var codeUrl: String?
    /// Hugging Face's votes plus this site's.
    var upvotes: Int

    init(_ paper: Paper, siteUpvotes: Int = 0) {
        id = paper.id.rawValue
        title = paper.title
        abstract = paper.abstract
        authors = paper.authors.map(\.name)
        categories = paper.categories
        primaryCategory = paper.primaryCategory
        published = paper.published.map(APIDate.string)
        updated = paper.updated.map(APIDate.string)
        version = paper.version
        doi = paper.doi
        journalRef = paper.journalRef
        comments = paper.comments
        abstractUrl = paper.abstractURL
        pdfUrl = paper.pdfURL
        codeUrl = paper.links.code
        upvotes = (paper.upvotes ?? 0) + siteUpvotes
    }

    init(_ ranked: RankedPaper) {
        self.init(ranked.paper, siteUpvotes: ranked.siteUpvotes)
    }
}

/// A snippet as plain text with the ranges to highlight, so no client has to parse or
/// trust markup. Ranges count Unicode scalars (what JavaScript's and Python's string
/// indexing agree on best) from the start of `text`, end exclusive.
struct SnippetRecord: Encodable, Sendable {
    struct Highlight: Encodable, Sendable {
        var start: Int
        var end: Int
    }

    var text: String
    var highlights: [Highlight]

    init(_ snippet: Snippet) {
        text = snippet.text
        let utf8 = Array(snippet.text.utf8)
        // Scalars before each byte offset: a byte that is not a continuation byte starts one.
        var scalarsBefore = [Int](repeating: 0, count: utf8.count + 1)
        for (offset, byte) in utf8.enumerated() {
            scalarsBefore[offset + 1] = scalarsBefore[offset] + (byte & 0xC0 == 0x80 ? 0 : 1)
        }
        highlights = snippet.highlights.compactMap { range in
            guard range.lowerBound >= 0, range.upperBound <= utf8.count, range.lowerBound < range.upperBound else { return nil }
            return Highlight(start: scalarsBefore[range.lowerBound], end: scalarsBefore[range.upperBound])
        }
    }
}

/// Dates in API answers: RFC 3339 in UTC, whole seconds.
enum APIDate {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
