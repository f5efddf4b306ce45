/// Words too common to help a search, which the index may skip in queries or postings.
///
/// The analyzer does not remove them itself: positions stay those of the text, and the index
/// decides (for instance dropping them from free-text queries but keeping them for phrases).
public enum StopWords {
    /// Lucene's classic English stop set plus `from` and `were`, in the form `analyze()` emits
    /// them; none of them changes under stemming, so the set serves both analyzers.
    public static let english: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into",
        "is", "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
        "these", "they", "this", "to", "was", "were", "will", "with",
    ]
}
