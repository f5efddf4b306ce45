import Foundation
import PaperboyCore

/// Reads a Hugging Face `api/daily_papers` response: a JSON array of daily entries, streamed
/// one element at a time (see `JSONArrayReader`).
///
/// Per element: `paper.id` (an arXiv id) is required; the title is `paper.title` or the
/// entry's `title`; the abstract is `paper.summary`; authors are `paper.authors[].name` in
/// order; `paper.publishedAt` is the publication date, `paper.upvotes` the upvotes and
/// `paper.githubRepo` the code link. A malformed element is rejected with its line, naming the
/// field, and the rest are kept.
public struct HFDailyParser: RecordParser {
    /// The name rejections carry (a path or URL).
    public let file: String
    private var elements: JSONArrayReader
    private let decoder = JSONDecoder()

    public init(
        source: any ByteSource, file: String, chunkSize: Int = LineReader.defaultChunkSize,
        maxElementBytes: Int = JSONArrayReader.defaultMaxElementBytes
    ) {
        self.file = file
        elements = JSONArrayReader(source: source, chunkSize: chunkSize, maxElementBytes: maxElementBytes)
    }

    /// Reads the file at `url`; rejections name it by its path.
    public init(url: URL) throws {
        self.init(source: try FileByteSource(url: url), file: url.path)
    }

    public mutating func next() throws -> ParsedRecord? {
        switch try elements.next() {
        case nil:
            return nil
        case .malformed(let line, let byteOffset, let reason)?:
            return .rejected(Rejection(file: file, line: line, byteOffset: byteOffset, reason: reason))
        case .element(let element)?:
            switch paper(from: element) {
            case .success(let paper): return .paper(paper)
            case .failure(let problem):
                return .rejected(Rejection(file: file, line: element.line, byteOffset: element.byteOffset, reason: problem.reason))
            }
        }
    }

    private struct ElementProblem: Error {
        var reason: String
    }

    private func paper(from element: JSONArrayReader.Element) -> Result<Paper, ElementProblem> {
        let entry: DailyPaperEntry
        do {
            entry = try decoder.decode(DailyPaperEntry.self, from: Data(element.bytes))
        } catch let error as DecodingError {
            return .failure(ElementProblem(reason: error.rejectionReason))
        } catch {
            return .failure(ElementProblem(reason: "the element cannot be read: \(error)"))
        }
        let fields = entry.paper
        guard let arxivID = ArxivIdentifier(fields.id) else {
            return .failure(ElementProblem(reason: "field \"paper.id\" is not an arXiv identifier: \"\(fields.id.prefix(100))\""))
        }
        guard let title = [fields.title, entry.title].compactMap({ $0?.trimmingWhitespace.nilIfEmpty }).first else {
            return .failure(ElementProblem(reason: "field \"paper.title\" is missing (and so is \"title\")"))
        }
        var published: Date?
        if let text = fields.publishedAt {
            guard let date = Self.parseTimestamp(text) else {
                return .failure(ElementProblem(reason: "field \"paper.publishedAt\" is not an ISO 8601 timestamp: \"\(text.prefix(40))\""))
            }
            published = date
        }
        let paper = Paper(
            id: PaperID(arxiv: arxivID), title: title, abstract: fields.summary ?? "",
            authors: (fields.authors ?? []).compactMap { $0.name?.nilIfEmpty.map { Author(name: $0) } },
            published: published, version: arxivID.version, links: Links(code: fields.githubRepo),
            upvotes: fields.upvotes, sources: [.hfDaily])
        if let problem = paper.validationProblem { return .failure(ElementProblem(reason: problem)) }
        return .success(paper)
    }

    /// `2026-05-30T00:00:00.000Z`, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let trimmed = text.trimmingWhitespace
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed) { return date }
        return try? Date.ISO8601FormatStyle().parse(trimmed)
    }
}
