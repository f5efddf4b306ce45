import Foundation
import TextAnalysis

extension KeywordVectors {
    /// The settings arxiv-sanity gives scikit-learn's `TfidfVectorizer`, adapted to our
    /// analyzer: unigrams and bigrams of the stemmed words (`TextAnalyzer.english`, the one
    /// analyzer of the keyword index) with stop words and numbers left out, sublinear tf
    /// (`1 + ln tf`), smooth idf (`ln((1 + n) / (1 + df)) + 1`), rows scaled to length 1.
    ///
    /// The vocabulary is capped, not hashed: the `vocabularyLimit` terms found in the most
    /// papers, among those in at least two (a term only one paper has cannot relate it to
    /// another). A capped vocabulary has no collisions and bounds the weight vector a tag
    /// trains; counting terms needs no strings for bigrams, which are pairs of word numbers.
    init(texts: [String], vocabularyLimit: Int) {
        precondition(vocabularyLimit > 0, "a vocabulary needs room for at least one term")
        var words = WordNumbering()
        let documents = texts.map { words.numbers(in: $0) }
        var documentFrequency: [UInt64: Int32] = [:]
        var keys: [UInt64] = []
        for document in documents {
            Self.termKeys(of: document, into: &keys)
            var previous: UInt64?
            for key in keys where key != previous {
                documentFrequency[key, default: 0] += 1
                previous = key
            }
        }
        let kept = documentFrequency.filter { $0.value >= 2 }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(vocabularyLimit)
        var columnOfKey: [UInt64: Int32] = [:]
        columnOfKey.reserveCapacity(kept.count)
        let count = Float(texts.count)
        let idf = kept.enumerated().map { column, entry in
            columnOfKey[entry.key] = Int32(column)
            return log((1 + count) / (1 + Float(entry.value))) + 1
        }
        let vocabulary = KeywordVocabulary(words: words.known(in: columnOfKey), columnOfKey: columnOfKey, idf: idf)
        var rows = RowBuilder()
        for document in documents { rows.append(document, vocabulary: vocabulary, keys: &keys) }
        self.init(columnCount: kept.count, rowStarts: rows.rowStarts, columns: rows.columns, weights: rows.weights,
                  vocabulary: vocabulary)
    }

    /// These rows followed by one row for each of `texts`, weighed by this vocabulary and its
    /// idf as they stand: the vocabulary is not refitted, so the existing rows stay valid and
    /// adding a few papers costs only their own analysis. Words the vocabulary never saw are
    /// left out (as scikit-learn's `transform` does).
    func appending(texts: [String]) -> KeywordVectors {
        var rows = RowBuilder(rowStarts: rowStarts, columns: columns, weights: weights)
        var keys: [UInt64] = []
        var words = vocabulary.words
        for text in texts {
            rows.append(words.numbers(in: text, addingUnknown: false), vocabulary: vocabulary, keys: &keys)
        }
        return KeywordVectors(columnCount: columnCount, rowStarts: rows.rowStarts, columns: rows.columns,
                              weights: rows.weights, vocabulary: vocabulary)
    }

    /// The sorted keys of a document's unigrams (the word's number) and bigrams (both
    /// numbers, the first shifted up and offset by one so no bigram equals a unigram).
    fileprivate static func termKeys(of words: [Int32], into keys: inout [UInt64]) {
        keys.removeAll(keepingCapacity: true)
        for (index, word) in words.enumerated() where word != WordNumbering.unknown {
            keys.append(UInt64(word))
            if index > 0, words[index - 1] != WordNumbering.unknown {
                keys.append((UInt64(words[index - 1]) + 1) << 32 | UInt64(word))
            }
        }
        keys.sort()
    }
}

/// The terms a tf-idf fit kept, with their columns and idf, and the numbers of the words
/// they are made of: what it takes to weigh a text that came after the fit.
struct KeywordVocabulary: Sendable {
    /// The numbering of the fit, cut down to the words some kept term uses.
    var words: WordNumbering
    var columnOfKey: [UInt64: Int32]
    var idf: [Float]
}

/// Compressed rows as they are appended, each scaled to length 1.
private struct RowBuilder {
    var rowStarts = [0]
    var columns: [Int32] = []
    var weights: [Float] = []
    private var row: [(column: Int32, weight: Float)] = []

    init() {}

    init(rowStarts: [Int], columns: [Int32], weights: [Float]) {
        self.rowStarts = rowStarts
        self.columns = columns
        self.weights = weights
    }

    /// One row: the document's terms the vocabulary kept, `(1 + ln tf) · idf`, l2-normalised.
    mutating func append(_ document: [Int32], vocabulary: KeywordVocabulary, keys: inout [UInt64]) {
        KeywordVectors.termKeys(of: document, into: &keys)
        row.removeAll(keepingCapacity: true)
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count, keys[end] == keys[start] { end += 1 }
            if let column = vocabulary.columnOfKey[keys[start]] {
                row.append((column, (1 + log(Float(end - start))) * vocabulary.idf[Int(column)]))
            }
            start = end
        }
        row.sort { $0.column < $1.column }
        let length = row.reduce(0) { $0 + $1.weight * $1.weight }.squareRoot()
        for entry in row {
            columns.append(entry.column)
            weights.append(entry.weight / length)
        }
        rowStarts.append(columns.count)
    }
}

/// Numbers the distinct words of many texts, so a text becomes the sequence of its kept
/// words' numbers and a bigram a pair of numbers.
struct WordNumbering: Sendable {
    /// The number of a word a finished vocabulary does not know: it makes no term, and no
    /// bigram with its neighbours.
    static let unknown: Int32 = -1

    private var numbers: [String: Int32] = [:]
    private var cache = TermCache()

    /// Whole words and whole compounds in text order; the parts of a compound, stop words and
    /// terms without a letter (numbers, which Cranfield is full of) are left out. A word seen
    /// for the first time gets the next number, or `unknown` when `addingUnknown` is false.
    mutating func numbers(in text: String, addingUnknown: Bool = true) -> [Int32] {
        var sequence: [Int32] = []
        for token in TextAnalyzer.english.analyze(text, cache: &cache)
        where token.kind != .part && Self.hasLetter(token.term) && !StopWords.english.contains(token.term) {
            if let number = numbers[token.term] {
                sequence.append(number)
            } else if addingUnknown {
                let number = Int32(numbers.count)
                numbers[token.term] = number
                sequence.append(number)
            } else {
                sequence.append(Self.unknown)
            }
        }
        return sequence
    }

    /// This numbering without the words no key of `columnOfKey` uses (a unigram key is its
    /// word's number; a bigram key holds the first word's number plus one above bit 32).
    func known(in columnOfKey: [UInt64: Int32]) -> WordNumbering {
        var used = Set<Int32>()
        for key in columnOfKey.keys {
            used.insert(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF))
            if key >> 32 > 0 { used.insert(Int32(truncatingIfNeeded: (key >> 32) - 1)) }
        }
        var kept = WordNumbering()
        kept.numbers = numbers.filter { used.contains($0.value) }
        return kept
    }

    private static func hasLetter(_ term: String) -> Bool {
        term.utf8.contains { ($0 >= 0x61 && $0 <= 0x7A) || $0 >= 0x80 }
    }
}
