import Foundation
import TextAnalysis

extension KeywordIndex {
    /// Lucene's more-like-this: the `terms` words of a paper's title and abstract with the
    /// highest tf·idf in this index (stop words and words in fewer than two papers left
    /// out), each searched in titles and abstracts with its tf·idf as boost, so the papers
    /// that share a paper's distinctive vocabulary rank first.
    public func moreLikeThis(title: String, abstract: String, terms: Int = 25) -> KeywordQuery {
        var frequencies: [String: Int] = [:]
        for token in TextAnalyzer.english.analyze(title + "\n" + abstract) where !StopWords.english.contains(token.term) {
            frequencies[token.term, default: 0] += 1
        }
        let count = statistics()[SearchField.abstract.storageOrdinal].documentCount
        let weighted = frequencies.compactMap { term, frequency -> (term: String, weight: Float)? in
            let df = documentFrequency(of: term, in: .abstract)
            guard df >= 2 else { return nil }
            return (term, Float(frequency) * BM25Parameters.idf(documentFrequency: df, documentCount: count))
        }
        let best = weighted.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }.prefix(terms)
        guard let top = best.first?.weight, top > 0 else { return .nothing }
        return .anyOf(best.map { entry in
            let boost = entry.weight / top
            return .anyOf([.term(entry.term, field: .title, boost: boost), .term(entry.term, field: .abstract, boost: boost)])
        })
    }
}
