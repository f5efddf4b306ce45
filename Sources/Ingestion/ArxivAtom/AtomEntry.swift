import PaperboyCore

/// One `<entry>` of an arXiv Atom feed being read: its fields as they arrive, in whichever
/// order the feed's era writes them (2016 puts `arxiv:primary_category` after the links,
/// 2026 after the categories).
struct AtomEntry: XMLRecordDraft {
    /// Where the entry starts, for its rejection.
    let line: Int
    /// The depth of the `<entry>` element; its fields are one deeper.
    let depth: Int
    /// The first problem inside the entry; the entry is rejected for it.
    var problem: XMLSyntaxError?
    var draft = PaperDraft()
    private var primaryCategory: String?
    private var categoryTerms: [String] = []
    private var author: (name: String, affiliations: [String])?

    init(line: Int, depth: Int) {
        self.line = line
        self.depth = depth
    }

    /// Whether this is the entry arXiv sends instead of results for a bad request
    /// (id `https://arxiv.org/api/errors#…`, title "Error").
    var isAPIError: Bool { draft.arxivID?.contains("arxiv.org/api/errors") ?? false }

    mutating func start(_ name: String, attributes: XMLAttributes, depth: Int) {
        switch (depth - self.depth, name) {
        case (1, "link"):
            let href = attributes["href"]
            if attributes["rel"] == "alternate" { draft.abstractLink = href }
            if attributes["title"] == "pdf" { draft.pdfLink = href }
        case (1, "primary_category"):
            primaryCategory = attributes["term"]
        case (1, "category"):
            if let term = attributes["term"] { categoryTerms.append(term) }
        case (1, "author"):
            author = ("", [])
        default:
            break
        }
    }

    mutating func end(_ name: String, text: String, depth: Int) {
        switch (depth - self.depth, name) {
        case (1, "id"): draft.arxivID = text
        case (1, "title"): draft.title = text
        case (1, "summary"): draft.abstract = text
        case (1, "published"): draft.published = XMLDateTime.parse(text)
        case (1, "updated"): draft.updated = XMLDateTime.parse(text)
        case (1, "doi"): draft.setDOI(text)
        case (1, "journal_ref"): draft.journalRef = text
        case (1, "comment"): draft.comments = text
        case (1, "author"):
            if let author {
                let affiliations = author.affiliations.map(\.collapsingWhitespace).filter { !$0.isEmpty }
                draft.addAuthor(author.name, affiliation: affiliations.joined(separator: "; "))
            }
            author = nil
        case (2, "name"): author?.name = text
        case (2, "affiliation"): author?.affiliations.append(text)
        default: break
        }
    }

    /// The paper, or the entry's rejection. Categories are the primary category first, then
    /// every `<category term>` that is an arXiv code (old feeds also list ACM and MSC classes).
    func record(file: String) -> ParsedRecord {
        var draft = draft
        for term in [primaryCategory].compactMap(\.self) + categoryTerms where ArxivTaxonomy.looksLikeCode(term.trimmingWhitespace) {
            draft.addCategory(term)
        }
        return draft.record(source: .arxivAPI, file: file, line: line)
    }
}
