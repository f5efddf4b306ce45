import Foundation
import PaperboyTesting
import Testing
import TextAnalysis
@testable import SearchIndex

/// Ranking quality on real judged collections (Cranfield, CACM in `../shared/eval`): nDCG@10
/// and recall@100 of keyword search, and the measurement behind dropping stop words from
/// free-text queries.
@Suite struct RankingQualityTests {
    struct Collection {
        var name: String
        var index: KeywordIndex
        var queries: [(id: String, text: String)]
        var relevant: [String: Set<String>]
    }

    static func lines(_ url: URL) throws -> [Substring] {
        let data: Data
        if url.pathExtension == "gz" {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-dc", url.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
        } else {
            data = try Data(contentsOf: url)
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    static func load(_ name: String, corpus: String) throws -> Collection {
        let folder = Fixtures.shared("eval/\(name)")
        var documents: [IndexDocument] = []
        for line in try lines(folder.appendingPathComponent(corpus)) {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let metadata = object["metadata"] as? [String: Any] ?? [:]
            let authors = (metadata["authors"] as? [String]) ?? [(metadata["author"] as? String) ?? ""]
            var authorTerms = FieldTerms()
            for author in authors { authorTerms.append(TextAnalyzer.names.analyze(author), gap: 1) }
            documents.append(IndexDocument(id: object["_id"] as? String ?? "", day: 0, fields: [
                FieldTerms(TextAnalyzer.english.analyze(object["title"] as? String ?? "")),
                FieldTerms(TextAnalyzer.english.analyze(object["text"] as? String ?? "")),
                authorTerms, FieldTerms()]))
        }
        let queries = try lines(folder.appendingPathComponent("queries.jsonl")).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return (id: object["_id"] as? String ?? "", text: object["text"] as? String ?? "")
        }
        var relevant: [String: Set<String>] = [:]
        for line in try lines(folder.appendingPathComponent("qrels/test.tsv")).dropFirst() {
            let fields = line.split(separator: "\t")
            if fields.count >= 3, fields[2] != "0" { relevant[String(fields[0]), default: []].insert(String(fields[1])) }
        }
        return Collection(name: name, index: KeywordIndex.build(documents), queries: queries, relevant: relevant)
    }

    /// Mean nDCG@10 and recall@100 over the judged queries, and how many queries failed to parse.
    static func evaluate(_ collection: Collection, options: SearchOptions) -> (ndcg: Double, recall: Double, unparsed: Int) {
        var ndcg = 0.0, recall = 0.0, judged = 0, unparsed = 0
        for query in collection.queries {
            guard let relevant = collection.relevant[query.id], !relevant.isEmpty else { continue }
            judged += 1
            guard let parsed = try? QueryParser.parse(query.text) else {
                unparsed += 1
                continue
            }
            let compiled = collection.index.compile(parsed, options: options)
            let hits = collection.index.search(compiled.query, limit: 100).map(\.id)
            var dcg = 0.0, ideal = 0.0
            for (rank, id) in hits.prefix(10).enumerated() where relevant.contains(id) { dcg += 1 / log2(Double(rank) + 2) }
            for rank in 0..<min(10, relevant.count) { ideal += 1 / log2(Double(rank) + 2) }
            ndcg += dcg / ideal
            recall += Double(hits.filter(relevant.contains).count) / Double(relevant.count)
        }
        return (ndcg / Double(judged), recall / Double(judged), unparsed)
    }

    @Test(arguments: [("cranfield", "corpus.jsonl"), ("cacm", "corpus.jsonl.gz")])
    func droppingStopWordsFromQueriesDoesNotHurtRanking(name: String, corpus: String) throws {
        let collection = try Self.load(name, corpus: corpus)
        let dropping = Self.evaluate(collection, options: SearchOptions(dropsStopWords: true))
        let keeping = Self.evaluate(collection, options: SearchOptions(dropsStopWords: false))
        print(String(format: "%@: nDCG@10 %.4f dropping stop words, %.4f keeping them; recall@100 %.4f / %.4f",
                     name, dropping.ndcg, keeping.ndcg, dropping.recall, keeping.recall))
        #expect(dropping.unparsed == 0, "every real query parses")
        #expect(dropping.ndcg >= keeping.ndcg, "the default (dropping) must not rank worse")
        // Published BM25 baselines on these collections are about 0.3 nDCG@10 (Cranfield) and 0.3–0.35 (CACM).
        #expect(dropping.ndcg > 0.25)
    }
}
