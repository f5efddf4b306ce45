import Foundation

/// A tag a reader files papers under ("to read", "MoE"), checked once where it enters.
///
/// Tags keep the spelling the reader typed but are one tag whatever the case ("MoE" and
/// "moe" are the same shelf), so `key` is what stores compare. A tag never holds a comma,
/// a brace or a control character: exports write tags into BibTeX `keywords = {a, b}` and
/// into `# tag` lines, and a tag must come back from them as it went in.
public struct LibraryTag: Hashable, Sendable, CustomStringConvertible {
    /// The name as the reader wrote it, trimmed.
    public let name: String

    /// Characters a tag may hold at most.
    public static let maximumLength = 64
    /// Where a reader's first saves go when no tag is given.
    public static let toRead = LibraryTag(checked: "to read")

    /// Validates `text` as a tag; the error names the `tag` field and says what to change.
    public init(_ text: String) throws {
        let trimmed = text.trimmingWhitespace
        if let problem = Self.problem(with: trimmed) {
            throw PaperboyError(.invalidInput, "tag: \(problem)")
        }
        name = trimmed
    }

    private init(checked name: String) { self.name = name }

    /// The case-insensitive identity of the tag (Unicode case folding, so "Ü" and "ü" meet).
    public var key: String { Self.key(of: name) }

    public static func key(of name: String) -> String {
        name.folding(options: [.caseInsensitive], locale: nil)
    }

    public var description: String { name }

    public static func == (a: LibraryTag, b: LibraryTag) -> Bool { a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// Why `name` (already trimmed) cannot be a tag, or nil when it can.
    static func problem(with name: String) -> String? {
        if name.isEmpty { return "a tag needs at least one character" }
        if name.count > maximumLength {
            return "\"\(name.prefix(20))…\" is \(name.count) characters long; a tag holds at most \(maximumLength)"
        }
        if let bad = name.unicodeScalars.first(where: { forbidden.contains($0) || $0.properties.generalCategory == .control }) {
            let shown = bad.properties.generalCategory == .control ? "a control character" : "\"\(bad)\""
            return "\"\(name)\" contains \(shown); tags cannot hold commas, braces or control characters"
        }
        return nil
    }

    private static let forbidden: Set<Unicode.Scalar> = [",", "{", "}"]
}
