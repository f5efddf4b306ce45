import Foundation

/// A research paper as Paperboy keeps it: one record per paper, merged from every source
/// that described it. Titles and abstracts keep their text as given (TeX included) with
/// whitespace collapsed.
public struct Paper: Hashable, Sendable, Codable {
    public var id: PaperID
    public var title: String
    public var abstract: String
    /// In the order the paper lists them.
    public var authors: [Author]
    /// arXiv category codes, primary first (`cs.LG`, `stat.ML`).
    public var categories: [String]
    public var published: Date?
    public var updated: Date?
    /// The latest arXiv version seen (`v3` → 3), when a source tells it.
    public var version: Int?
    public var doi: String?
    public var journalRef: String?
    public var comments: String?
    public var links: Links
    /// Hugging Face upvotes, when a source gives them.
    public var upvotes: Int?
    /// Every source that contributed to this record.
    public var sources: Set<PaperSource>

    public init(
        id: PaperID, title: String, abstract: String = "", authors: [Author] = [], categories: [String] = [],
        published: Date? = nil, updated: Date? = nil, version: Int? = nil, doi: String? = nil,
        journalRef: String? = nil, comments: String? = nil, links: Links = Links(), upvotes: Int? = nil,
        sources: Set<PaperSource>
    ) {
        self.id = id
        self.title = title.collapsingWhitespace
        self.abstract = abstract.collapsingWhitespace
        self.authors = authors
        self.categories = categories
        self.published = published
        self.updated = updated
        self.version = version
        self.doi = doi.flatMap(DOI.normalize)
        self.journalRef = journalRef?.collapsingWhitespace.nilIfEmpty
        self.comments = comments?.collapsingWhitespace.nilIfEmpty
        self.links = links
        self.upvotes = upvotes
        self.sources = sources
    }

    /// The primary arXiv category, when known.
    public var primaryCategory: String? { categories.first }

    /// The key that recognizes this paper by title alone (see `TitleKey`).
    public var titleKey: String { TitleKey.normalize(title) }

    /// The arXiv abstract page, derived from the id when no source gave one.
    public var abstractURL: String? {
        links.abstract ?? (id.kind == .arxiv ? "https://arxiv.org/abs/\(id.rawValue)" : nil)
    }

    /// The PDF, derived from the id when no source gave one.
    public var pdfURL: String? {
        links.pdf ?? (id.kind == .arxiv ? "https://arxiv.org/pdf/\(id.rawValue)" : nil)
    }
}

/// An author as the paper lists them.
public struct Author: Hashable, Sendable, Codable {
    public var name: String
    public var affiliation: String?

    public init(name: String, affiliation: String? = nil) {
        self.name = name.collapsingWhitespace
        self.affiliation = affiliation?.collapsingWhitespace.nilIfEmpty
    }
}

/// Where to read a paper and its code.
public struct Links: Hashable, Sendable, Codable {
    public var abstract: String?
    public var pdf: String?
    public var code: String?

    public init(abstract: String? = nil, pdf: String? = nil, code: String? = nil) {
        self.abstract = abstract?.trimmingWhitespace.nilIfEmpty
        self.pdf = pdf?.trimmingWhitespace.nilIfEmpty
        self.code = code?.trimmingWhitespace.nilIfEmpty
    }
}

/// A kind of source a paper record came from, ranked by how authoritative its metadata is:
/// when two sources disagree on the same version, the higher rank wins.
public enum PaperSource: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case hfPage = "hf-page"
    case hfDaily = "hf-daily"
    case oaiDublinCore = "oai-dc"
    case arxivSnapshot = "arxiv-snapshot"
    case oaiArxiv = "oai-arxiv"
    case oaiArxivRaw = "oai-arxivraw"
    case arxivAPI = "arxiv-api"

    public var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: PaperSource, b: PaperSource) -> Bool { a.rank < b.rank }
}

extension String {
    /// nil for the empty string, so optional fields never hold "".
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension Paper {
    /// Encodes with `sources` sorted by rank, so the same paper always gives the same JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(abstract, forKey: .abstract)
        try container.encode(authors, forKey: .authors)
        try container.encode(categories, forKey: .categories)
        try container.encodeIfPresent(published, forKey: .published)
        try container.encodeIfPresent(updated, forKey: .updated)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encodeIfPresent(doi, forKey: .doi)
        try container.encodeIfPresent(journalRef, forKey: .journalRef)
        try container.encodeIfPresent(comments, forKey: .comments)
        try container.encode(links, forKey: .links)
        try container.encodeIfPresent(upvotes, forKey: .upvotes)
        try container.encode(sources.sorted(), forKey: .sources)
    }
}
