import Foundation
import PaperboyCore

/// Reads arXiv API `api/query` responses (Atom 1.0 with arXiv and OpenSearch extensions), one
/// paper per `<entry>`, streaming.
///
/// Per entry: the id and version from `<id>`; title; `<summary>` as the abstract; authors in
/// order with their `arxiv:affiliation`; `arxiv:primary_category` first, then each
/// `<category term>`; `published` and `updated`; `arxiv:doi`, `arxiv:journal_ref`,
/// `arxiv:comment`; the `alternate` link as the abstract page and the `pdf` link. Both the
/// 2016 and the 2026 layouts are read (elements are matched by local name, in any order).
///
/// The error feed arXiv answers a bad request with (one entry titled "Error") is a rejection
/// `arXiv API error: …` and sets `apiError`. A malformed entry, or one holding invalid UTF-8,
/// is rejected and reading goes on; a truncated document yields every complete entry, then one
/// rejection saying where input ended.
public struct ArxivAtomParser: RecordParser {
    /// The name rejections carry (a path or URL).
    public var file: String { walker.file }
    /// `opensearch:totalResults`: how many entries the whole query matches.
    public private(set) var totalResults: Int?
    /// `opensearch:startIndex`: the 0-based offset of this page's first entry.
    public private(set) var startIndex: Int?
    /// `opensearch:itemsPerPage`: the page size asked for.
    public private(set) var itemsPerPage: Int?
    /// The message of arXiv's error feed ("incorrect id format for abc"), when the response is one.
    public private(set) var apiError: String?
    /// Whether the `<feed>` closed: a response cut short on the way did not, and a harvester
    /// fetches it again rather than trusting its (missing) entries and counts.
    public private(set) var isComplete = false

    private var walker: XMLRecordWalker<AtomEntry>

    /// The OpenSearch values come before the entries, so they are known once `next()` has been
    /// called; `apiError` once the error entry has been returned.
    public init(source: any ByteSource, file: String, chunkSize: Int = XMLEventReader.defaultChunkSize) {
        walker = XMLRecordWalker(
            source: source, file: file, chunkSize: chunkSize, rootElement: "feed", documentKind: "an Atom feed",
            recordElement: "entry", minimumRecordDepth: 2)
    }

    /// Reads the file at `url`, naming it by its path in rejections.
    public init(url: URL, chunkSize: Int = XMLEventReader.defaultChunkSize) throws {
        self.init(source: try FileByteSource(url: url), file: url.path, chunkSize: chunkSize)
    }

    public mutating func next() throws -> ParsedRecord? {
        while let step = try walker.next() {
            switch step {
            case .record(let entry) where entry.isAPIError:
                let message = XMLTextDecoder.collapsingWhitespace(entry.draft.abstract)
                apiError = message
                return .rejected(Rejection(file: file, line: entry.line, reason: "arXiv API error: \(message)"))
            case .record(let entry):
                return entry.record(file: file)
            case .rejection(let rejection):
                return .rejected(rejection)
            case .end("feed", _, 1):
                isComplete = true
            case .end(let name, let text, 2):
                switch name {
                case "totalResults": totalResults = Int(text.trimmingWhitespace)
                case "startIndex": startIndex = Int(text.trimmingWhitespace)
                case "itemsPerPage": itemsPerPage = Int(text.trimmingWhitespace)
                default: break
                }
            case .start, .end:
                break
            }
        }
        return nil
    }
}
