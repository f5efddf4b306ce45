import Foundation
import PaperboyCore

/// A paper as a result list shows it to an assistant: enough to judge and cite it, with the
/// abstract cut short so twenty results stay within a model's context.
struct PaperSummary: Codable, Sendable, Equatable {
    var id: String
    var title: String
    var authors: [String]
    var abstract: String
    var categories: [String]
    /// `yyyy-MM-dd` (UTC).
    var published: String?
    /// The ranking's score: relevance for searches, heat for feeds.
    var score: Double?
    var url: String?

    /// Characters of the abstract a summary keeps.
    static let abstractLength = 600

    init(_ paper: Paper, score: Double? = nil) {
        id = paper.id.rawValue
        title = paper.title
        authors = paper.authors.map(\.name)
        abstract = Self.shortened(paper.abstract)
        categories = paper.categories
        published = paper.published.map(UTCDay.string)
        self.score = score
        url = paper.abstractURL
    }

    /// `text` cut at a word boundary near `abstractLength`, marked with an ellipsis.
    static func shortened(_ text: String, to length: Int = abstractLength) -> String {
        guard text.count > length else { return text }
        let head = text.prefix(length)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        return cut.trimmingCharacters(in: .whitespacesAndNewlines) + "…"
    }
}

/// Everything the store knows about one paper, for `get_paper`.
struct PaperDetail: Codable, Sendable, Equatable {
    var id: String
    var title: String
    var authors: [String]
    var abstract: String
    var categories: [String]
    var primaryCategory: String?
    var published: String?
    var updated: String?
    var version: Int?
    var doi: String?
    var journalRef: String?
    var comments: String?
    var url: String?
    var pdfUrl: String?
    var codeUrl: String?
    /// Hugging Face's votes plus this site's.
    var upvotes: Int

    init(_ paper: Paper, siteUpvotes: Int) {
        id = paper.id.rawValue
        title = paper.title
        authors = paper.authors.map(\.name)
        abstract = paper.abstract
        categories = paper.categories
        primaryCategory = paper.primaryCategory
        published = paper.published.map(UTCDay.string)
        updated = paper.updated.map(UTCDay.string)
        version = paper.version
        doi = paper.doi
        journalRef = paper.journalRef
        comments = paper.comments
        url = paper.abstractURL
        pdfUrl = paper.pdfURL
        codeUrl = paper.links.code
        upvotes = (paper.upvotes ?? 0) + siteUpvotes
    }
}
