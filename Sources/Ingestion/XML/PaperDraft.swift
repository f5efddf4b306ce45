import Foundation
import PaperboyCore

/// The fields an XML importer gathered for one record, turned into a paper or a rejection the
/// same way for every arXiv XML format (Atom, OAI-PMH): the id falls back from the arXiv id to
/// the DOI to the title; a missing title, no usable id, or a broken `Paper.Limits` bound is a
/// rejection naming the field.
struct PaperDraft {
    /// The arXiv identifier as the source wrote it (`http://arxiv.org/abs/1111.2011v2`, `0704.0001`).
    var arxivID: String?
    /// nil when the record had no title element at all.
    var title: String?
    var abstract = ""
    /// In order; add with `addAuthor` so names are normalized.
    var authors: [Author] = []
    /// Category codes, primary first, without repeats (see `addCategory`).
    private(set) var categories: [String] = []
    var published: Date?
    var updated: Date?
    var version: Int?
    var doi: String?
    var journalRef: String?
    var comments: String?
    var abstractLink: String?
    var pdfLink: String?

    /// Appends an author, the name collapsed on bytes (see `record`); an empty name is dropped.
    mutating func addAuthor(_ name: String, affiliation: String? = nil) {
        var author = Author(name: "", affiliation: affiliation)
        author.name = XMLTextDecoder.collapsingWhitespace(name)
        if !author.name.isEmpty { authors.append(author) }
    }

    /// Keeps the first DOI of a field that may list several, space separated (arXiv allows it).
    mutating func setDOI(_ text: String) {
        doi = text.split(whereSeparator: \.isWhitespace).first.map(String.init)
    }

    /// Appends a category code unless it is empty or already listed.
    mutating func addCategory(_ code: String) {
        let code = code.trimmingWhitespace
        if !code.isEmpty, !categories.contains(code) { categories.append(code) }
    }

    /// The paper, or the rejection of the record that starts at `line` of `file`.
    func record(source: PaperSource, file: String, line: Int) -> ParsedRecord {
        func rejected(_ reason: String) -> ParsedRecord {
            .rejected(Rejection(file: file, line: line, reason: reason))
        }
        guard let title else { return rejected("field \"title\" is missing") }
        let arxiv = arxivID.flatMap(ArxivIdentifier.init)
        let id = arxiv.map(PaperID.init(arxiv:)) ?? doi.flatMap(PaperID.init(doi:)) ?? PaperID(title: title)
        guard let id else {
            if XMLTextDecoder.collapsingWhitespace(title).isEmpty { return rejected("field \"title\" is empty") }
            let written = arxivID.map { ": \"\($0.trimmingWhitespace.prefix(100))\" is not an arXiv identifier" } ?? " is missing"
            return rejected("field \"id\"\(written), and there is no DOI or usable title to identify the paper by")
        }
        // Texts are collapsed here, on bytes, exactly as `Paper.init` would, and assigned after
        // it: its per-scalar collapsing costs more than the rest of a harvest page's parsing.
        var paper = Paper(
            id: id, title: "", published: published, updated: updated, version: version ?? arxiv?.version,
            doi: doi, links: Links(abstract: abstractLink, pdf: pdfLink), sources: [source])
        paper.title = XMLTextDecoder.collapsingWhitespace(title)
        paper.abstract = XMLTextDecoder.collapsingWhitespace(abstract)
        paper.authors = authors
        paper.categories = categories
        paper.journalRef = journalRef.map(XMLTextDecoder.collapsingWhitespace)?.nilIfEmpty
        paper.comments = comments.map(XMLTextDecoder.collapsingWhitespace)?.nilIfEmpty
        if let problem = paper.validationProblem { return rejected(problem) }
        return .paper(paper)
    }
}
