import Foundation
import PaperboyCore

/// The three metadata formats arXiv's OAI-PMH endpoint serves, told apart per record by the
/// root element inside `<metadata>`.
enum OAIMetadataFormat {
    /// `oai_dc:dc`: Dublin Core; subjects as full names, creators as "Last, First".
    case dublinCore
    /// `arXiv` (namespace http://arxiv.org/OAI/arXiv/): structured authors, no versions.
    case arxiv
    /// `arXivRaw` (namespace http://arxiv.org/OAI/arXivRaw/): one-line authors, every version.
    case arxivRaw

    init?(rootElement localName: String) {
        switch localName {
        case "dc": self = .dublinCore
        case "arXiv": self = .arxiv
        case "arXivRaw": self = .arxivRaw
        default: return nil
        }
    }

    var source: PaperSource {
        switch self {
        case .dublinCore: .oaiDublinCore
        case .arxiv: .oaiArxiv
        case .arxivRaw: .oaiArxivRaw
        }
    }
}

/// One OAI-PMH `<record>` being read: its header (identifier, deleted status) and the
/// metadata fields of whichever format it carries, mapped as they arrive.
struct OAIRecord: XMLRecordDraft {
    /// Where the record starts, for its rejection.
    let line: Int
    /// The depth of the `<record>` element.
    let depth: Int
    /// The first problem inside the record; the record is rejected for it.
    var problem: XMLSyntaxError?
    private(set) var isDeleted = false
    private var headerIdentifier: String?
    private var inHeader = false
    private var sawMetadata = false
    private var metadataDepth: Int?
    private(set) var format: OAIMetadataFormat?
    private var unsupportedFormat: String?
    var draft = PaperDraft()
    /// Per-format state while nested elements are read (see `OAIRecord+Formats`).
    var pendingAuthor: AuthorParts?
    var versionLabel: String?
    var versionDate: Date?
    var versionDates: [Date] = []
    var versionNumbers: [Int] = []
    var dates: [Date] = []
    var extraJournalRefs: [String] = []

    init(line: Int, depth: Int) {
        self.line = line
        self.depth = depth
    }

    /// The parts of an `arXiv`-format `<author>`.
    struct AuthorParts {
        var keyname = ""
        var forenames = ""
        var suffix = ""
        var affiliations: [String] = []
    }

    mutating func start(_ name: String, attributes: XMLAttributes, depth: Int) {
        let level = depth - self.depth
        if level == 1 {
            if name == "header" {
                inHeader = true
                isDeleted = attributes["status"] == "deleted"
            } else if name == "metadata" {
                sawMetadata = true
                metadataDepth = depth
            }
            return
        }
        guard let metadataDepth else { return }
        if depth == metadataDepth + 1 {
            format = OAIMetadataFormat(rootElement: name)
            if format == nil, unsupportedFormat == nil { unsupportedFormat = name }
            return
        }
        if let format { startField(name, attributes: attributes, level: depth - metadataDepth - 1, format: format) }
    }

    mutating func end(_ name: String, text: String, depth: Int) {
        let level = depth - self.depth
        if inHeader {
            if level == 1 { inHeader = false }
            if level == 2, name == "identifier" { headerIdentifier = text.trimmingWhitespace }
            return
        }
        guard let metadataDepth, depth > metadataDepth + 1, let format else {
            if level == 1, name == "metadata" { metadataDepth = nil }
            return
        }
        endField(name, text: text, level: depth - metadataDepth - 1, format: format)
    }

    /// The paper, or the record's rejection. A deleted record is neither: the caller skips it.
    func record(file: String) -> ParsedRecord {
        func rejected(_ reason: String) -> ParsedRecord {
            .rejected(Rejection(file: file, line: line, reason: reason))
        }
        guard let format else {
            if let unsupportedFormat {
                return rejected("metadata format <\(unsupportedFormat)> is not one Paperboy reads (oai_dc, arXiv, arXivRaw)")
            }
            return rejected(sawMetadata ? "the <metadata> element is empty" : "the record has no <metadata>")
        }
        var draft = draft
        if draft.arxivID == nil { draft.arxivID = headerIdentifier }
        finish(&draft, format: format)
        return draft.record(source: format.source, file: file, line: line)
    }
}
