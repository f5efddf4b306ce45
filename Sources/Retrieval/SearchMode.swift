/// How a search ranks papers. Filters, required and excluded words apply in every mode.
public enum SearchMode: String, CaseIterable, Sendable, Codable {
    /// Keyword and meaning rankings fused (the default whenever a model is installed).
    case hybrid
    /// BM25 over titles, abstracts and authors.
    case keyword
    /// Cosine similarity of the query's embedding to the papers'.
    case semantic
}

/// Why a search could not run as asked.
public struct SearchUnavailable: Error, Sendable, CustomStringConvertible {
    public var mode: SearchMode

    public init(mode: SearchMode) {
        self.mode = mode
    }

    public var description: String {
        "\(mode.rawValue) search needs the embedding model and the papers' vectors: install the model with `paperboy model install`, then run `paperboy embed`"
    }
}
