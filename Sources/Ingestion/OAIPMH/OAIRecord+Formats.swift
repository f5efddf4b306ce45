import Foundation
import PaperboyCore

/// How each metadata format's elements map to paper fields. `level` counts from the format's
/// root element: 1 for its children (`dc:title`, `<id>`), 2 and 3 for nested ones.
extension OAIRecord {
    mutating func startField(_ name: String, attributes: XMLAttributes, level: Int, format: OAIMetadataFormat) {
        switch (format, level, name) {
        case (.arxiv, 2, "author"):
            pendingAuthor = AuthorParts()
        case (.arxivRaw, 1, "version"):
            versionLabel = attributes["version"]
            versionDate = nil
        default:
            break
        }
    }

    mutating func endField(_ name: String, text: String, level: Int, format: OAIMetadataFormat) {
        switch (format, level) {
        case (.dublinCore, 1): endDublinCore(name, text: text)
        case (.arxiv, 1), (.arxivRaw, 1): endArxivField(name, text: text, format: format)
        case (.arxiv, 2) where name == "author": endAuthor()
        case (.arxiv, 3): endAuthorPart(name, text: text)
        case (.arxivRaw, 2) where name == "date": versionDate = RFC1123Date.parse(text.trimmingWhitespace)
        default: break
        }
    }

    /// Dublin Core: see `OAIPMHParser` for the mapping.
    private mutating func endDublinCore(_ name: String, text: String) {
        if name == "description" { return endDescription(text) }
        let value = XMLTextDecoder.collapsingWhitespace(text)
        switch name {
        case "title":
            if draft.title == nil { draft.title = text }
        case "creator":
            draft.addAuthor(Self.displayName(fromInverted: value))
        case "subject":
            if let code = ArxivTaxonomy.code(forName: value) { draft.addCategory(code) }
        case "date":
            if let date = XMLDateTime.parse(value) { dates.append(date) }
        case "identifier":
            if value.hasPrefix("http://arxiv.org/abs/") || value.hasPrefix("https://arxiv.org/abs/") {
                if draft.arxivID == nil { draft.arxivID = value }
            } else if value.lowercased().hasPrefix("doi:") {
                if draft.doi == nil { draft.doi = value }
            } else if !value.isEmpty {
                if draft.journalRef == nil { draft.journalRef = value } else { extraJournalRefs.append(value) }
            }
        default:
            break
        }
    }

    /// The first description is the abstract; one starting "Comment:" holds the comments.
    private mutating func endDescription(_ text: String) {
        let start = text.drop { $0.isWhitespace }
        if start.hasPrefix("Comment:") {
            if draft.comments == nil { draft.comments = String(start.dropFirst("Comment:".count)) }
        } else if draft.abstract.isEmpty {
            draft.abstract = text
        }
    }

    /// The fields `arXiv` and `arXivRaw` share, and the one-line authors of `arXivRaw`.
    private mutating func endArxivField(_ name: String, text: String, format: OAIMetadataFormat) {
        switch name {
        case "id": draft.arxivID = text
        case "title": draft.title = text
        case "abstract": draft.abstract = text
        case "categories":
            for code in text.split(whereSeparator: \.isWhitespace) { draft.addCategory(String(code)) }
        case "comments": draft.comments = text
        case "journal-ref": draft.journalRef = text
        case "doi": draft.setDOI(text)
        case "created": draft.published = XMLDateTime.parse(text)
        case "updated": draft.updated = XMLDateTime.parse(text)
        case "authors" where format == .arxivRaw:
            for name in AuthorList.split(text) { draft.addAuthor(name) }
        case "version" where format == .arxivRaw:
            if let versionDate { versionDates.append(versionDate) }
            if let label = versionLabel, label.hasPrefix("v"), let number = Int(label.dropFirst()), number > 0 {
                versionNumbers.append(number)
            }
            versionLabel = nil
        default:
            break
        }
    }

    private mutating func endAuthorPart(_ name: String, text: String) {
        switch name {
        case "keyname": pendingAuthor?.keyname = text
        case "forenames": pendingAuthor?.forenames = text
        case "suffix": pendingAuthor?.suffix = text
        case "affiliation": pendingAuthor?.affiliations.append(text)
        default: break
        }
    }

    /// `forenames keyname suffix`, with the affiliations joined.
    private mutating func endAuthor() {
        guard let parts = pendingAuthor else { return }
        pendingAuthor = nil
        let name = [parts.forenames, parts.keyname, parts.suffix].map(\.collapsingWhitespace).filter { !$0.isEmpty }
        guard !name.isEmpty else { return }
        let affiliation = parts.affiliations.map(\.collapsingWhitespace).filter { !$0.isEmpty }.joined(separator: "; ")
        draft.addAuthor(name.joined(separator: " "), affiliation: affiliation)
    }

    /// Fields known only once the whole record is read: dates and versions.
    func finish(_ draft: inout PaperDraft, format: OAIMetadataFormat) {
        switch format {
        case .dublinCore:
            // One dc:date per version: the first is the submission, the last the latest version.
            draft.published = dates.first
            draft.updated = dates.last
            draft.version = dates.isEmpty ? nil : dates.count
            if !extraJournalRefs.isEmpty, let first = draft.journalRef {
                draft.journalRef = ([first] + extraJournalRefs).joined(separator: "; ")
            }
        case .arxivRaw:
            draft.published = versionDates.first
            draft.updated = versionDates.last
            draft.version = versionNumbers.max() ?? (versionDates.isEmpty ? nil : versionDates.count)
        case .arxiv:
            break
        }
    }

    /// "Baillie, Robert" → "Robert Baillie"; "Smith, John, Jr." → "John Smith Jr."; a name
    /// without a comma ("BESIII Collaboration") is kept as it is.
    static func displayName(fromInverted name: String) -> String {
        let comma = UInt8(ascii: ",")
        guard name.utf8.contains(comma) else { return name }
        let parts = name.utf8.split(separator: comma, omittingEmptySubsequences: false)
            .map { XMLTextDecoder.collapsingWhitespace(String(decoding: $0, as: UTF8.self)) }
        let ordered = [parts[1], parts[0]] + parts.dropFirst(2)
        return ordered.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
