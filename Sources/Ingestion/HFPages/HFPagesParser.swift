import Foundation
import PaperboyCore

/// Reads Hugging Face papers listing pages saved as plain text: the page header (see
/// `HFPageHeader`), then for each paper a title line and an abstract line, separated by blank
/// lines. The pages carry no identifier, so each paper's id is derived from its title
/// (`PaperID(title:)`): the same title on two pages is the same paper.
///
/// A title with no abstract after it (the file ends), a line that is not UTF-8 or too long,
/// and an entry that breaks a limit of `Paper.validationProblem` are rejected with the
/// title's line; the entries after it are still read.
public struct HFPagesParser: RecordParser {
    /// The name rejections carry (a path or URL).
    public let file: String
    private var lines: LineReader
    /// How many of the header's fixed lines were seen; nil once the header is behind us.
    private var headerProgress: Int? = 0
    private var pendingTitle: PendingTitle?

    /// A title line waiting for its abstract, or a title line that cannot be used, whose
    /// abstract must still be consumed so the next title is not read as an abstract.
    private enum PendingTitle {
        case title(String, line: Int)
        case unusable(reason: String, line: Int)
    }

    public init(
        source: any ByteSource, file: String, chunkSize: Int = LineReader.defaultChunkSize,
        maxLineBytes: Int = LineReader.defaultMaxLineBytes
    ) {
        self.file = file
        lines = LineReader(source: source, chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    }

    /// Reads the file at `url`; rejections name it by its path.
    public init(url: URL, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws {
        self.init(source: try FileByteSource(url: url), file: url.path, maxLineBytes: maxLineBytes)
    }

    public mutating func next() throws -> ParsedRecord? {
        while let line = try lines.next() {
            let text: String
            switch Self.text(of: line, limit: lines.maxLineBytes) {
            case .success(let decoded): text = decoded
            case .failure(let problem):
                if let record = accept(unusable: problem.reason, line: line.number) { return record }
                continue
            }
            if text.isEmpty || skipHeader(text) { continue }
            switch pendingTitle {
            case nil:
                pendingTitle = .title(text, line: line.number)
            case .title(let title, let titleLine)?:
                pendingTitle = nil
                return entry(title: title, abstract: text, line: titleLine)
            case .unusable(let reason, let titleLine)?:
                pendingTitle = nil
                return rejection(line: titleLine, reason)
            }
        }
        switch pendingTitle {
        case nil:
            return nil
        case .title(let title, let titleLine)?:
            pendingTitle = nil
            return rejection(line: titleLine, "title \"\(title.prefix(80))\" has no abstract after it (the file ends)")
        case .unusable(let reason, let titleLine)?:
            pendingTitle = nil
            return rejection(line: titleLine, reason)
        }
    }

    /// Handles a line that cannot be read: as a title it spoils its entry (its abstract is
    /// skipped with it); as an abstract it spoils the pending title's entry.
    private mutating func accept(unusable reason: String, line: Int) -> ParsedRecord? {
        headerProgress = nil
        switch pendingTitle {
        case nil:
            pendingTitle = .unusable(reason: "the title line \(reason)", line: line)
            return nil
        case .title(_, let titleLine)?:
            pendingTitle = nil
            return rejection(line: titleLine, "the abstract on line \(line) \(reason)")
        case .unusable(let earlier, let titleLine)?:
            pendingTitle = nil
            return rejection(line: titleLine, earlier)
        }
    }

    /// Consumes the page header's lines while they come; true when `text` was one of them.
    private mutating func skipHeader(_ text: String) -> Bool {
        guard let seen = headerProgress else { return false }
        if seen < HFPageHeader.fixedLines.count, text == HFPageHeader.fixedLines[seen] {
            headerProgress = seen + 1
            return true
        }
        headerProgress = nil
        return seen == HFPageHeader.fixedLines.count && HFPageHeader.isDateLine(text)
    }

    private func entry(title: String, abstract: String, line: Int) -> ParsedRecord {
        guard let id = PaperID(title: title) else {
            return rejection(line: line, "title \"\(title.prefix(80))\" has no letters or digits to derive an id from")
        }
        let paper = Paper(id: id, title: title, abstract: abstract, sources: [.hfPage])
        if let problem = paper.validationProblem { return rejection(line: line, problem) }
        return .paper(paper)
    }

    private func rejection(line: Int, _ reason: String) -> ParsedRecord {
        .rejected(Rejection(file: file, line: line, reason: reason))
    }

    private struct LineProblem: Error {
        var reason: String
    }

    /// The line's text with surrounding whitespace trimmed, or why it cannot be read (a
    /// predicate: "is not valid UTF-8").
    private static func text(of line: LineReader.Line, limit: Int) -> Result<String, LineProblem> {
        if line.isTooLong { return .failure(LineProblem(reason: "is \(line.length) bytes, more than the limit of \(limit)")) }
        guard let text = String(validating: line.bytes, as: UTF8.self) else {
            return .failure(LineProblem(reason: "is not valid UTF-8"))
        }
        return .success(text.trimmingWhitespace)
    }
}
