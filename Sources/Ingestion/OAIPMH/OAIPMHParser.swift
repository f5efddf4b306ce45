import Foundation
import PaperboyCore

/// Reads arXiv OAI-PMH `ListRecords` and `GetRecord` responses, one paper per `<record>`,
/// streaming, in any of the three metadata formats arXiv serves (detected per record):
///
/// - `oai_dc`: `dc:title`; `dc:creator` "Last, First" → "First Last"; `dc:subject` full names
///   ("Computer Science - Machine Learning") → codes via `ArxivTaxonomy`, in order, MSC and ACM
///   classes dropped; the first `dc:description` is the abstract, one starting "Comment:" the
///   comments; one `dc:date` per version (published = first, updated = last, version = count);
///   `dc:identifier` `http://arxiv.org/abs/…` → id, `doi:…` → DOI, any other → journal reference.
/// - `arXiv`: id, created, updated, authors (forenames keyname suffix, affiliation), title,
///   categories (space separated, primary first), comments, journal-ref, doi, abstract.
/// - `arXivRaw`: as `arXiv`, with authors on one line (split by `AuthorList`) and a `<version>`
///   per version (published = first date, updated = last, version = the latest).
///
/// Deleted records (`<header status="deleted">`) are neither papers nor rejections: they are
/// counted in `deletedRecords`. The paging state (`resumptionToken`) and an OAI `<error>`
/// (`oaiError`) are known once `next()` has returned nil. Damage is handled as in
/// `ArxivAtomParser`: a bad record is rejected and reading goes on.
public struct OAIPMHParser: RecordParser {
    /// Where a `ListRecords` harvest goes on: `value` is nil on the last page (an empty element).
    public struct ResumptionToken: Hashable, Sendable {
        public var value: String?
        /// How many records the previous pages held.
        public var cursor: Int?
        public var completeListSize: Int?

        public init(value: String?, cursor: Int?, completeListSize: Int?) {
            self.value = value
            self.cursor = cursor
            self.completeListSize = completeListSize
        }

        /// Whether this page is the last one.
        public var isEndOfList: Bool { value == nil }
    }

    /// An `<error code="…">` the repository answered with.
    public struct OAIError: Hashable, Sendable {
        /// `noRecordsMatch`, `badResumptionToken`, `badArgument`, `idDoesNotExist`, …
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }

        /// `noRecordsMatch`: the request was fine and simply has no results.
        public var isEmptyResult: Bool { code == "noRecordsMatch" }
    }

    /// The name rejections carry (a path or URL).
    public var file: String { walker.file }
    public private(set) var resumptionToken: ResumptionToken?
    /// The repository's error; any code but `noRecordsMatch` is also yielded as a rejection.
    public private(set) var oaiError: OAIError?
    /// Records marked deleted, skipped.
    public private(set) var deletedRecords = 0
    /// When the repository answered (`<responseDate>`, UTC, as written): where the next
    /// incremental harvest starts.
    public private(set) var responseDate: String?
    /// Whether the document's root element closed: a page cut short by the network is not,
    /// and a harvester fetches it again rather than trusting its (missing) paging state.
    public private(set) var isComplete = false

    private var walker: XMLRecordWalker<OAIRecord>
    private var tokenAttributes = XMLAttributes()
    private var errorStart: (code: String, line: Int)?

    public init(source: any ByteSource, file: String, chunkSize: Int = XMLEventReader.defaultChunkSize) {
        walker = XMLRecordWalker(
            source: source, file: file, chunkSize: chunkSize, rootElement: "OAI-PMH",
            documentKind: "an OAI-PMH response", recordElement: "record", minimumRecordDepth: 3)
    }

    /// Reads the file at `url`, naming it by its path in rejections.
    public init(url: URL, chunkSize: Int = XMLEventReader.defaultChunkSize) throws {
        self.init(source: try FileByteSource(url: url), file: url.path, chunkSize: chunkSize)
    }

    public mutating func next() throws -> ParsedRecord? {
        while let step = try walker.next() {
            switch step {
            case .record(let record) where record.isDeleted:
                deletedRecords += 1
            case .record(let record):
                return record.record(file: file)
            case .rejection(let rejection):
                return .rejected(rejection)
            case .start("resumptionToken", let attributes, _, _):
                tokenAttributes = attributes
            case .start("error", let attributes, 2, let line):
                errorStart = (attributes["code"] ?? "", line)
            case .end("resumptionToken", let text, _):
                resumptionToken = ResumptionToken(
                    value: text.trimmingWhitespace.nilIfEmpty,
                    cursor: tokenAttributes["cursor"].flatMap { Int($0.trimmingWhitespace) },
                    completeListSize: tokenAttributes["completeListSize"].flatMap { Int($0.trimmingWhitespace) })
            case .end("responseDate", let text, 2):
                responseDate = text.trimmingWhitespace.nilIfEmpty
            case .end("OAI-PMH", _, 1):
                isComplete = true
            case .end("error", let text, 2):
                guard let start = errorStart else { continue }
                errorStart = nil
                let error = OAIError(code: start.code, message: text.collapsingWhitespace)
                oaiError = error
                if !error.isEmptyResult {
                    return .rejected(Rejection(file: file, line: start.line, reason: "OAI-PMH error \(error.code): \(error.message)"))
                }
            case .start, .end:
                break
            }
        }
        return nil
    }
}
