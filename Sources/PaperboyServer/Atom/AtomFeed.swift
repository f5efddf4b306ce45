import Foundation
import PaperboyCore

/// Atom 1.0 (RFC 4287) for paper lists, the one writer behind `/feeds/*.atom` and the
/// arXiv-compatible `/api/query`: entries carry arXiv's own extension elements, so a
/// feed reader sees a normal feed and an arXiv client sees what it parses.
struct AtomFeed {
    static let atomNamespace = "http://www.w3.org/2005/Atom"
    static let openSearchNamespace = "http://a9.com/-/spec/opensearch/1.1/"
    static let arxivNamespace = "http://arxiv.org/schemas/atom"

    var id: String
    var title: String
    var updated: Date
    /// The feed's own address (`rel="self"`).
    var selfLink: String
    /// The page a person would read instead (`rel="alternate"`), if any.
    var alternateLink: String?
    /// OpenSearch counts, for result lists.
    var totalResults: Int?
    var startIndex: Int?
    var itemsPerPage: Int?
    var entries: [AtomEntry]

    func xml() -> String {
        var writer = XMLWriter()
        writer.start("feed", ["xmlns": Self.atomNamespace, "xmlns:opensearch": Self.openSearchNamespace,
                              "xmlns:arxiv": Self.arxivNamespace])
        writer.element("id", id)
        writer.element("title", title)
        writer.element("updated", AtomDate.string(updated))
        writer.element("link", nil, ["href": selfLink, "rel": "self", "type": "application/atom+xml"])
        if let alternateLink {
            writer.element("link", nil, ["href": alternateLink, "rel": "alternate", "type": "text/html"])
        }
        writer.start("author")
        writer.element("name", "Paperboy")
        writer.end()
        writer.element("generator", "Paperboy")
        if let itemsPerPage { writer.element("opensearch:itemsPerPage", String(itemsPerPage)) }
        if let totalResults { writer.element("opensearch:totalResults", String(totalResults)) }
        if let startIndex { writer.element("opensearch:startIndex", String(startIndex)) }
        for entry in entries { entry.write(to: &writer) }
        return writer.finish()
    }
}

/// One entry: a paper, or arXiv's error entry.
struct AtomEntry {
    var id: String
    var title: String
    var updated: Date
    var published: Date?
    var summary: String
    var authors: [String]
    var alternateLink: String?
    var pdfLink: String?
    var doi: String?
    var comment: String?
    var journalRef: String?
    var primaryCategory: String?
    var categories: [String] = []

    /// A paper as arXiv's API lists it: its abstract page as id and link, its dates, its
    /// categories with arXiv's scheme. A paper with no date gets `fallbackDate` (Atom
    /// requires `updated`).
    init(paper: Paper, fallbackDate: Date) {
        let abstract = paper.abstractURL
        id = abstract ?? "urn:paperboy:\(paper.id.rawValue)"
        title = paper.title
        updated = paper.updated ?? paper.published ?? fallbackDate
        published = paper.published
        summary = paper.abstract
        authors = paper.authors.map(\.name)
        alternateLink = abstract
        pdfLink = paper.pdfURL
        doi = paper.doi
        comment = paper.comments
        journalRef = paper.journalRef
        primaryCategory = paper.primaryCategory
        categories = paper.categories
    }

    init(id: String, title: String, updated: Date, summary: String, authors: [String], alternateLink: String?) {
        self.id = id
        self.title = title
        self.updated = updated
        self.summary = summary
        self.authors = authors
        self.alternateLink = alternateLink
    }

    static let unlistedAuthors = "(authors not listed)"

    func write(to writer: inout XMLWriter) {
        writer.start("entry")
        writer.element("id", id)
        writer.element("title", title)
        writer.element("updated", AtomDate.string(updated))
        if let published { writer.element("published", AtomDate.string(published)) }
        if let alternateLink {
            writer.element("link", nil, ["href": alternateLink, "rel": "alternate", "type": "text/html"])
        }
        if let pdfLink {
            writer.element("link", nil, ["href": pdfLink, "rel": "related", "type": "application/pdf", "title": "pdf"])
        }
        if let doi {
            writer.element("link", nil, ["href": "https://doi.org/\(doi)", "rel": "related", "title": "doi"])
        }
        writer.element("summary", summary)
        // Atom wants an author per entry; a source that listed none gets a stand-in that says so.
        for author in authors.isEmpty ? [Self.unlistedAuthors] : authors {
            writer.start("author")
            writer.element("name", author)
            writer.end()
        }
        if let doi { writer.element("arxiv:doi", doi) }
        if let comment { writer.element("arxiv:comment", comment) }
        if let journalRef { writer.element("arxiv:journal_ref", journalRef) }
        if let primaryCategory {
            writer.element("arxiv:primary_category", nil, ["term": primaryCategory, "scheme": AtomFeed.arxivNamespace])
        }
        for category in categories {
            writer.element("category", nil, ["term": category, "scheme": AtomFeed.arxivNamespace])
        }
        writer.end()
    }
}

/// Atom dates: RFC 3339 in UTC.
enum AtomDate {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .current))
    }
}
