/// The one analyzer behind indexing, querying and highlighting, so a query term and the
/// indexed term it should match are always made the same way.
///
/// Cleans TeX markup, splits the text into words and compounds with their parts, folds each
/// term (NFKC, case, diacritics) and stems English words when `stemming` is on. Token offsets
/// always point into the text given, TeX included.
public struct TextAnalyzer: Sendable {
    /// Whether letter words and letter parts of compounds are reduced to their Porter2 stem.
    public let stemming: Bool
    private let tokenizer: Tokenizer

    public init(stemming: Bool = true) {
        self.stemming = stemming
        tokenizer = Tokenizer(stemmer: stemming ? EnglishStemmer() : nil)
    }

    /// Stemming on: titles, abstracts, free-text queries.
    public static let english = TextAnalyzer()
    /// Stemming off: author names, where `Hastings` must not become `hast`.
    public static let names = TextAnalyzer(stemming: false)

    /// The tokens of `text` in order of position; a compound comes just before its parts.
    public func analyze(_ text: String) -> [Token] {
        var cache = TermCache(capacity: stemming ? 128 : 0)
        return analyze(text, cache: &cache)
    }

    /// `analyze(_:)` with a term cache kept across calls, which spares re-making and
    /// re-stemming the words every abstract repeats: the way to index many texts on one thread.
    public func analyze(_ text: String, cache: inout TermCache) -> [Token] {
        var text = text
        return text.withUTF8 { utf8 in
            var tokens: [Token] = []
            tokens.reserveCapacity(utf8.count / 6 + 4)
            if tokenizer.tokenize(utf8, into: &tokens, cache: &cache, stopAtMarkup: true) { return tokens }
            tokens.removeAll(keepingCapacity: true)
            let cleaned = TeXCleanup.clean(utf8: utf8)
            _ = cleaned.utf8.withUnsafeBufferPointer {
                tokenizer.tokenize($0, into: &tokens, cache: &cache, stopAtMarkup: false)
            }
            for index in tokens.indices {
                let source = cleaned.sourceRange(of: tokens[index].start..<tokens[index].end)
                tokens[index].start = source.lowerBound
                tokens[index].end = source.upperBound
            }
            return tokens
        }
    }
}
