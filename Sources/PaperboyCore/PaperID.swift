/// The stable identity of a paper across sources and versions.
///
/// The strongest identifier a record carries wins: the arXiv id without its version
/// (`2401.01234`, `hep-th/9901001`), otherwise the DOI (`doi:10.1103/…`), otherwise a
/// deterministic id derived from the normalized title (`title:9f86d081884c7d65`), so the same
/// title seen in two files yields the same paper.
public struct PaperID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// How strong an identifier is; a merge keeps the strongest.
    public enum Kind: Int, Comparable, Sendable {
        case title = 0, doi = 1, arxiv = 2
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// The canonical text form, as stored and shown.
    public let rawValue: String

    public var kind: Kind {
        if rawValue.hasPrefix("doi:") { return .doi }
        if rawValue.hasPrefix("title:") { return .title }
        return .arxiv
    }

    public var description: String { rawValue }
    public static func < (a: PaperID, b: PaperID) -> Bool { a.rawValue < b.rawValue }

    private init(canonical: String) { rawValue = canonical }

    /// Parses any stored or typed form: an arXiv id (with or without version, `arXiv:` prefix or
    /// abs/pdf URL), `doi:…`, or `title:…`. Returns nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace
        if trimmed.hasPrefix("title:") {
            let hex = trimmed.dropFirst(6)
            guard hex.count == 16, hex.allSatisfy(\.isHexDigit) else { return nil }
            self.init(canonical: trimmed.lowercased())
        } else if let doi = DOI.normalize(trimmed), trimmed.lowercased().hasPrefix("doi:") || trimmed.hasPrefix("10.") {
            self.init(canonical: "doi:" + doi)
        } else if let arxiv = ArxivIdentifier(trimmed) {
            self.init(canonical: arxiv.id)
        } else {
            return nil
        }
    }

    /// The id of a paper known by its arXiv identifier (any version).
    public init(arxiv: ArxivIdentifier) { self.init(canonical: arxiv.id) }

    /// The id of a paper known only by its DOI.
    public init?(doi: String) {
        guard let doi = DOI.normalize(doi) else { return nil }
        self.init(canonical: "doi:" + doi)
    }

    /// The id of a paper known only by its title: the first 64 bits of SHA-256 of the
    /// normalized title, so reordering punctuation, case or TeX accents gives the same id.
    public init?(title: String) {
        let key = TitleKey.normalize(title)
        guard !key.isEmpty else { return nil }
        self.init(canonical: "title:" + SHA256.hex(Array(key.utf8)).prefix(16))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = PaperID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a paper id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// An arXiv identifier split into the version-less id and the version number.
public struct ArxivIdentifier: Hashable, Sendable {
    /// `2401.01234` or `hep-th/9901001`.
    public let id: String
    /// The version (`v2` → 2), when the text named one.
    public let version: Int?

    /// Accepts `2401.01234v2`, `arXiv:2401.01234`, `http(s)://arxiv.org/abs/…`, `…/pdf/…`,
    /// `oai:arXiv.org:…`, and old-style ids such as `hep-th/9901001` or `math.GT/0309136`
    /// (the subject class is not part of the canonical old-style id).
    public init?(_ text: String) {
        if let plain = Self.plainNewStyle(text) {
            self = plain
            return
        }
        var s = Substring(text.trimmingWhitespace)
        for prefix in ["oai:arXiv.org:", "arXiv:", "arxiv:"] where s.hasPrefix(prefix) {
            s = s.dropFirst(prefix.count)
        }
        if let range = s.range(of: "arxiv.org/") {
            s = s[range.upperBound...]
            for segment in ["abs/", "pdf/"] where s.hasPrefix(segment) { s = s.dropFirst(segment.count) }
            if s.hasSuffix(".pdf") { s = s.dropLast(4) }
        }
        var version: Int?
        if let v = s.lastIndex(of: "v"), let number = Int(s[s.index(after: v)...]), number > 0,
           s[s.index(after: v)...].allSatisfy(\.isASCIIDigit) {
            version = number
            s = s[..<v]
        }
        if Self.isNewStyle(s) {
            id = String(s)
        } else if let old = Self.oldStyle(s) {
            id = old
        } else {
            return nil
        }
        self.version = version
    }

    private init(id: String, version: Int?) {
        self.id = id
        self.version = version
    }

    /// The common case on bytes, without any Unicode work: `YYMM.NNNN(N)` with an optional
    /// `vN`. Importers parse millions of ids; everything else takes the general path.
    private static func plainNewStyle(_ text: String) -> ArxivIdentifier? {
        var text = text
        return text.withUTF8 { bytes -> ArxivIdentifier? in
            let digits = { (range: Range<Int>) in range.allSatisfy { bytes[$0] &- 0x30 < 10 } }
            guard bytes.count >= 9, bytes[4] == UInt8(ascii: "."), digits(0..<4) else { return nil }
            let month = Int(bytes[2] &- 0x30) * 10 + Int(bytes[3] &- 0x30)
            guard (1...12).contains(month) else { return nil }
            var end = 5
            while end < bytes.count, bytes[end] &- 0x30 < 10 { end += 1 }
            guard end - 5 == 4 || end - 5 == 5 else { return nil }
            var version: Int?
            if end < bytes.count {
                guard bytes[end] == UInt8(ascii: "v"), end + 1 < bytes.count, end + 1 + 6 > bytes.count,
                      digits((end + 1)..<bytes.count) else { return nil }
                var number = 0
                for i in (end + 1)..<bytes.count { number = number * 10 + Int(bytes[i] &- 0x30) }
                guard number > 0 else { return nil }
                version = number
            }
            return ArxivIdentifier(id: String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self), version: version)
        }
    }

    /// `YYMM.NNNN` (2007–2014) or `YYMM.NNNNN` (2015 on).
    private static func isNewStyle(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, (4...5).contains(parts[1].count) else { return false }
        guard parts[0].allSatisfy(\.isASCIIDigit), parts[1].allSatisfy(\.isASCIIDigit) else { return false }
        let month = Int(parts[0].suffix(2)) ?? 0
        return (1...12).contains(month)
    }

    /// `archive(.SC)?/YYMMNNN` with a lowercase archive such as `hep-th` or `math`.
    private static func oldStyle(_ s: Substring) -> String? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 7, parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
        let archive = parts[0].split(separator: ".", maxSplits: 1).first ?? ""
        guard !archive.isEmpty, archive.allSatisfy({ $0 == "-" || ($0.isASCII && $0.isLowercase) }) else { return nil }
        return "\(archive)/\(parts[1])"
    }
}

/// DOI normalization: DOIs are case-insensitive, so they are stored lowercased, without a
/// resolver prefix.
public enum DOI {
    public static func normalize(_ text: String) -> String? {
        var s = Substring(text.trimmingWhitespace)
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:", "DOI:"]
        where s.lowercased().hasPrefix(prefix.lowercased()) {
            s = s.dropFirst(prefix.count)
        }
        s = Substring(s.trimmingWhitespace)
        guard s.hasPrefix("10."), let slash = s.firstIndex(of: "/"), s.index(after: slash) < s.endIndex,
              !s.contains(where: \.isWhitespace) else { return nil }
        return s.lowercased()
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

