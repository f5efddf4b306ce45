import Foundation
import TextAnalysis

/// Names clusters by class-based TF-IDF (c-TF-IDF, as BERTopic does): all of a cluster's
/// titles and abstracts are one document, and a term scores by √(how often the cluster uses
/// it) times log(1 + A / f), where A is the average number of words per cluster and f how
/// often the whole field uses the term. Words every cluster uses ("model", "method") score
/// low; words one cluster uses a lot win. The square root is BERTopic's
/// `reduce_frequent_words`: without it the few generic words every abstract repeats outscore
/// a topic's own words on sheer count.
///
/// Terms are Paperboy's own analyzer's stems (the search index's, so "networks" and "network"
/// count as one), minus stop words and short or numeric tokens, and each is shown as the
/// surface word it most often came from. Adjacent pairs of kept words count as bigrams
/// ("language model"), which often name a field better than either word.
public struct TopicTerms {
    private let analyzer = TextAnalyzer.english
    private var cache = TermCache(capacity: 4096)
    private var termIDs: [String: Int] = [:]
    private var surfaces: [[String: Int]] = []
    private var counts: [[Int: Int]]
    /// How many documents used each bigram, to keep one-off pairs out.
    private var bigramDocuments: [Int: Int] = [:]
    private var isBigram: [Bool] = []
    /// The two words of each bigram.
    private var bigramParts: [Int: (Int, Int)] = [:]

    public init(clusters: Int) {
        counts = [[Int: Int]](repeating: [:], count: clusters)
    }

    /// Adds one paper's text to `cluster`.
    public mutating func add(_ text: String, cluster: Int) {
        let tokens = analyzer.analyze(text, cache: &cache)
        let utf8 = Array(text.utf8)
        var previous: (term: String, surface: String, position: Int32)?
        var seenBigrams = Set<Int>()
        for token in tokens where token.kind != .part {
            let surface = String(decoding: utf8[token.start..<min(token.end, utf8.count)], as: UTF8.self).lowercased()
            guard keeps(token.term, surface: surface) else { previous = nil; continue }
            let id = termID(token.term, bigram: false)
            counts[cluster][id, default: 0] += 1
            surfaces[id][surface, default: 0] += 1
            if let before = previous, before.position + 1 == token.position {
                let pair = termID(before.term + " " + token.term, bigram: true)
                if bigramParts[pair] == nil { bigramParts[pair] = (termID(before.term, bigram: false), id) }
                counts[cluster][pair, default: 0] += 1
                surfaces[pair][before.surface + " " + surface, default: 0] += 1
                if seenBigrams.insert(pair).inserted { bigramDocuments[pair, default: 0] += 1 }
            }
            previous = (token.term, surface, token.position)
        }
    }

    /// The `count` most distinctive terms of each cluster, most distinctive first, as surface
    /// words. A word the cluster mostly uses within one phrase ("error" in "error
    /// correction") is shown as that phrase; a term whose words the cluster's earlier terms
    /// already say is skipped, and a word a chosen bigram contains gives way to the bigram.
    public func terms(count: Int) -> [[String]] {
        let termCount = surfaces.count
        var fieldFrequency = [Double](repeating: 0, count: termCount)
        var totalWords = 0.0
        for cluster in counts {
            for (id, n) in cluster {
                fieldFrequency[id] += Double(n)
                if !isBigram[id] { totalWords += Double(n) }
            }
        }
        let nonEmpty = max(1, counts.filter { !$0.isEmpty }.count)
        let averageWords = totalWords / Double(nonEmpty)
        let shown: [String] = surfaces.map { forms in
            forms.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
        }
        return counts.map { cluster in
            let scored = cluster.compactMap { id, n -> (id: Int, score: Double)? in
                if isBigram[id], bigramDocuments[id, default: 0] < 3 { return nil }
                return (id, Double(n).squareRoot() * log(1 + averageWords / fieldFrequency[id]))
            }.sorted { $0.score != $1.score ? $0.score > $1.score : shown[$0.id] < shown[$1.id] }
            // For each word, the cluster's most frequent phrase holding it.
            var phraseOf: [Int: Int] = [:]
            for (id, n) in cluster where isBigram[id] && bigramDocuments[id, default: 0] >= 3 {
                guard let (first, second) = bigramParts[id] else { continue }
                for word in [first, second] where n > cluster[phraseOf[word] ?? -1, default: 0] { phraseOf[word] = id }
            }
            var chosen: [String] = []
            for candidate in scored {
                var id = candidate.id
                if !isBigram[id], let phrase = phraseOf[id], 2 * cluster[phrase, default: 0] >= cluster[id, default: 0] {
                    id = phrase
                }
                let words = shown[id].split(separator: " ").map(String.init)
                let covered = Set(chosen.flatMap { $0.split(separator: " ").map(String.init) })
                if words.allSatisfy(covered.contains) { continue }
                if words.count > 1 { chosen.removeAll { words.contains($0) } }
                chosen.append(shown[id])
                if chosen.count >= count { break }
            }
            return Array(chosen.prefix(count))
        }
    }

    private mutating func termID(_ term: String, bigram: Bool) -> Int {
        if let id = termIDs[term] { return id }
        let id = surfaces.count
        termIDs[term] = id
        surfaces.append([:])
        isBigram.append(bigram)
        return id
    }

    private func keeps(_ term: String, surface: String) -> Bool {
        guard term.utf8.count >= 3, surface.utf8.count >= 3 else { return false }
        guard term.unicodeScalars.contains(where: { CharacterSet.letters.contains($0) }) else { return false }
        return !StopWords.english.contains(surface) && !StopWords.english.contains(term)
    }
}
