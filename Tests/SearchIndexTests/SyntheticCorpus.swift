import SearchIndex

/// A seeded corpus of Zipf-distributed words, large enough that common terms span many
/// postings blocks, so skipping and block bounds are exercised. Deterministic per seed.
struct SyntheticCorpus {
    var random: CorpusRandom
    let vocabulary: [String]
    private let cumulative: [Double]

    init(seed: UInt64, vocabularySize: Int = 5_000) {
        random = CorpusRandom(seed: seed)
        vocabulary = (0..<vocabularySize).map { "w\($0)" }
        var total = 0.0
        cumulative = (1...vocabularySize).map { rank in
            total += 1 / Double(rank)
            return total
        }
    }

    /// A word drawn by Zipf's law: word `i` about `1/(i+1)` as often as the commonest.
    mutating func word() -> String {
        let target = Double.random(in: 0..<cumulative[cumulative.count - 1], using: &random)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return vocabulary[low]
    }

    mutating func words(_ range: ClosedRange<Int>) -> [String] {
        (0..<Int.random(in: range, using: &random)).map { _ in word() }
    }

    /// A document with a short title, a long abstract and a few author names.
    mutating func document(id: String) -> IndexDocument {
        let title = FieldTerms(words: words(3...12))
        let abstract = FieldTerms(words: words(40...160))
        let authors = FieldTerms(words: (0..<Int.random(in: 1...4, using: &random)).map { _ in "a\(Int.random(in: 0..<300, using: &random))" })
        let category = ["cs.lg", "cs.cl", "cs.cv", "stat.ml"][Int.random(in: 0..<4, using: &random)]
        let categories = FieldTerms(terms: [category, String(category.prefix { $0 != "." })], positions: [], length: 2)
        return IndexDocument(id: id, day: Int32.random(in: 19_000...20_000, using: &random),
                             fields: [title, abstract, authors, categories])
    }

    mutating func documents(_ count: Int, prefix: String = "p") -> [IndexDocument] {
        (0..<count).map { document(id: "\(prefix)\($0)") }
    }
}

/// A small, fast, seedable generator so test corpora are the same on every run.
struct CorpusRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
