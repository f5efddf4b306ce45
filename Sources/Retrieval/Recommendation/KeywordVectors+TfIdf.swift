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
        var rowStarts = [0]
        var columns: [Int32] = [], weights: [Float] = []
        var row: [(column: Int32, weight: Float)] = []
        for document in documents {
            Self.termKeys(of: document, into: &keys)
            row.removeAll(keepingCapacity: true)
            var start = 0
            while start < keys.count {
                var end = start + 1
                while end < keys.count, keys[end] == keys[start] { end += 1 }
                if let column = columnOfKey[keys[start]] {
                    row.append((column, (1 + log(Float(end - start))) * idf[Int(column)]))
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
        self.init(columnCount: kept.count, rowStarts: rowStarts, columns: columns, weights: weights)
    }

    /// The sorted keys of a document's unigrams (the word's number) and bigrams (both
    /// numbers, the first shifted up and offset by one so no bigram equals a unigram).
    private static func termKeys(of words: [Int32], into keys: inout [UInt64]) {
        keys.removeAll(keepingCapacity: true)
        for (index, word) in words.enumerated() {
            keys.append(UInt64(word))
            if index > 0 { keys.append((UInt64(words[index - 1]) + 1) << 32 | UInt64(word)) }
        }
        keys.sort()
    }
}

/// Numbers the distinct words of many texts, so a text becomes the sequence of its kept
/// words' numbers and a bigram a pair of numbers.
private struct WordNumbering {
    private var numbers: [String: Int32] = [:]
    private var cache = TermCache()

    /// Whole words and whole compounds in text order; the parts of a compound, stop words and
    /// terms without a letter (numbers, which Cranfield is full of) are left out.
    mutating func numbers(in text: String) -> [Int32] {
        var sequence: [Int32] = []
        for token in TextAnalyzer.english.analyze(text, cache: &cache)
        where token.kind != .part && Self.hasLetter(token.term) && !StopWords.english.contains(token.term) {
            if let number = numbers[token.term] {
                sequence.append(number)
            } else {
                let number = Int32(numbers.count)
                numbers[token.term] = number
                sequence.append(number)
            }
        }
        return sequence
    }

    private static func hasLetter(_ term: String) -> Bool {
        term.utf8.contains { ($0 >= 0x61 && $0 <= 0x7A) || $0 >= 0x80 }
    }
}
