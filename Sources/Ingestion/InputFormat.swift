/// The input formats Paperboy imports, named as the CLI and import reports name them.
public enum InputFormat: String, CaseIterable, Sendable, Codable {
    case hfPages = "hf-pages"
    case arxivAtom = "arxiv-atom"
    case oaiPMH = "oai-pmh"
    case arxivSnapshot = "arxiv-snapshot"
    case hfDaily = "hf-daily"

    /// How many leading bytes `detect(prefix:)` needs to decide.
    public static let detectionPrefixBytes = 64 * 1024

    /// One line a person reads to recognize the format.
    public var summary: String {
        switch self {
        case .hfPages: "Hugging Face papers pages saved as text (a title line, then its abstract)"
        case .arxivAtom: "arXiv API Atom feed (export.arxiv.org/api/query)"
        case .oaiPMH: "arXiv OAI-PMH response (ListRecords or GetRecord)"
        case .arxivSnapshot: "arXiv metadata snapshot, one JSON object per line (Kaggle arxiv-metadata-oai-snapshot.json)"
        case .hfDaily: "Hugging Face daily papers JSON array (huggingface.co/api/daily_papers)"
        }
    }

    /// The format of an input judged from its first bytes (`detectionPrefixBytes` suffice),
    /// skipping a UTF-8 byte-order mark and leading whitespace; nil when it is none of them.
    ///
    /// XML is told apart by its root element (`feed` is Atom, `OAI-PMH` is OAI-PMH), JSON by
    /// its first character (`[` a daily-papers array, `{` a snapshot line), and text by the
    /// header every Hugging Face papers page starts with.
    public static func detect(prefix: [UInt8]) -> InputFormat? {
        var start = 0
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < prefix.count, isWhitespace(prefix[start]) { start += 1 }
        guard start < prefix.count else { return nil }
        let text = prefix[start...]
        switch text.first {
        case UInt8(ascii: "<"):
            switch rootElementName(text) {
            case "feed": return .arxivAtom
            case "OAI-PMH": return .oaiPMH
            default: return nil
            }
        case UInt8(ascii: "["): return .hfDaily
        case UInt8(ascii: "{"): return .arxivSnapshot
        default: return HFPageHeader.starts(text) ? .hfPages : nil
        }
    }

    /// The sentence shown when `file` is none of the known formats: what was expected.
    public static func unknownFormatMessage(file: String) -> String {
        let expected = allCases.map { "\($0.summary) [\($0.rawValue)]" }.joined(separator: "; ")
        return "\(file): not a format Paperboy can import. Expected one of: \(expected). "
            + "If the file is one of these, name its format with --format."
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The local name of the first element, after the XML declaration, processing
    /// instructions, comments and a doctype (`<atom:feed` gives `feed`); nil when none is seen.
    private static func rootElementName(_ text: ArraySlice<UInt8>) -> String? {
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index] == UInt8(ascii: "<") else {
                if isWhitespace(text[index]) {
                    index += 1
                    continue
                }
                return nil
            }
            let rest = text[(index + 1)...]
            if rest.starts(with: Array("?".utf8)) || rest.starts(with: Array("!".utf8)) {
                let terminator = Array((rest.starts(with: Array("!--".utf8)) ? "-->" : ">").utf8)
                guard let end = firstRange(of: terminator, in: rest) else { return nil }
                index = end
                continue
            }
            let nameBytes = rest.prefix { !isWhitespace($0) && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "/") }
            let name = String(decoding: nameBytes, as: UTF8.self)
            return name.split(separator: ":").last.map(String.init)
        }
        return nil
    }

    /// The index just past the first occurrence of `needle` in `haystack`.
    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index + needle.count }
            index += 1
        }
        return nil
    }
}
