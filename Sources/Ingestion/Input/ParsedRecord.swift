import PaperboyCore

/// What a parser yields for each record of its input: a paper, or the reason it was skipped.
public enum ParsedRecord: Sendable, Hashable {
    case paper(Paper)
    case rejected(Rejection)
}

/// A record that could not become a paper, with where it is and why, so a person can find
/// and fix it (`papers.jsonl:1042: field "id" is missing`).
public struct Rejection: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file (or URL) the record came from.
    public var file: String
    /// The 1-based line where the record starts, when the format has lines.
    public var line: Int?
    /// The byte offset where the record starts, when no line is known.
    public var byteOffset: Int64?
    public var reason: String

    public init(file: String, line: Int? = nil, byteOffset: Int64? = nil, reason: String) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        if let byteOffset { return "\(file) at byte \(byteOffset): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// A streaming parser of one input format: pull records one at a time so memory stays flat
/// whatever the input's size.
public protocol RecordParser {
    /// The next record, or nil at the end of the input. Malformed records come back as
    /// `.rejected`; it throws only when the input cannot be read at all.
    mutating func next() throws -> ParsedRecord?
}

extension RecordParser {
    /// Every remaining record, split into papers and rejections: for inputs small enough to
    /// hold whole, such as one page a harvester fetched.
    mutating func drain() throws -> (papers: [Paper], rejections: [Rejection]) {
        var papers: [Paper] = [], rejections: [Rejection] = []
        while let record = try next() {
            switch record {
            case .paper(let paper): papers.append(paper)
            case .rejected(let rejection): rejections.append(rejection)
            }
        }
        return (papers, rejections)
    }
}
