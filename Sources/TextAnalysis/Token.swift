/// One indexed term taken from a text, with where it came from so the index can match phrases
/// and the highlighter can mark the reader's words in the original text.
public struct Token: Equatable, Sendable {
    /// The indexed form: NFKC, case-folded, diacritics-folded, stemmed when the analyzer stems.
    public var term: String
    /// Word position (0-based) for phrase matching. A compound shares its first part's position.
    public var position: Int32
    /// UTF-8 byte offset of the source span in the original text (for highlighting).
    public var start: Int
    /// Exclusive UTF-8 byte offset of the source span in the original text.
    public var end: Int
    public var kind: Kind

    /// How a token relates to the words around it, so the index can treat a whole technical
    /// token (`gpt-4`) and its pieces (`gpt`, `4`) differently.
    public enum Kind: Sendable {
        /// A plain word: only letters, only digits (a decimal like `1.5` included), or one CJK
        /// ideograph.
        case word
        /// A run of letters and digits joined by inner hyphens, apostrophes or letter↔digit
        /// boundaries (`gpt-4`, `l2`, `resnet50`), indexed whole; its parts follow it.
        case compound
        /// One piece of the compound just before it, at its own consecutive position.
        case part
    }

    public init(term: String, position: Int32, start: Int, end: Int, kind: Kind) {
        self.term = term
        self.position = position
        self.start = start
        self.end = end
        self.kind = kind
    }
}
