import ArgumentParser
import Embedding
import Foundation
import PaperboyCore
import Retrieval
import SearchIndex
import StorageSQLite
import VectorIndex

/// `paperboy bench eval`: ranking quality of every search mode on judged collections
/// (BEIR layout), each document indexed and embedded the way Paperboy's papers are.
struct BenchEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Measure nDCG@10 and recall@100 of keyword, semantic and hybrid search.")

    @Argument(help: ArgumentHelp("Collection directories (corpus.jsonl[.gz], queries.jsonl, qrels/test.tsv).", valueName: "dir"))
    var collections: [String]

    @Option(help: ArgumentHelp("The model directory (default: the installed model).", valueName: "dir"))
    var model: String?

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the results as JSON.")
    var json = false

    /// The rankings compared: each mode, and hybrid under each fusion.
    static let variants: [(name: String, mode: SearchMode, fusion: RankFusion)] = [
        ("keyword", .keyword, .reciprocalRank()),
        ("semantic", .semantic, .reciprocalRank()),
        ("hybrid, reciprocal rank (k 60)", .hybrid, .reciprocalRank()),
        ("hybrid, relative score (0.5)", .hybrid, .relativeScore()),
    ]

    func run() async throws {
        try global.bootstrapLogging()
        let embedding = try BenchEmbedder(model: model, global: global)
        let embedder = embedding.embedder
        var results: [EvalResult] = []
        for path in collections {
            let collection = try JudgedCollection.load(directory: URL(fileURLWithPath: path))
            var caches = AnalysisCaches()
            let keywordIndex = KeywordIndex.build(collection.papers.map { IndexDocument(paper: $0, caches: &caches) })
            let total = collection.papers.count
            let vectors = embedding.embed(collection.papers, label: "embedding \(collection.name)")
            var store = VectorStore(dimension: embedder.dimension, capacity: total)
            for (paper, vector) in zip(collection.papers, vectors) { try store.add(key: paper.id.rawValue, vector: vector) }
            let semantic = SemanticIndex(embedder: embedder, vectors: VectorSearcher(store: store))
            for variant in Self.variants {
                let engine = SearchEngine(store: try PaperDatabase.inMemory(), keywordIndex: keywordIndex,
                                          semanticIndex: semantic, fusion: variant.fusion)
                let quality = try collection.evaluate { text in
                    try engine.rank(text, mode: variant.mode, depth: 100).map(\.id)
                }
                results.append(EvalResult(collection: collection.name, documents: total, ranking: variant.name, quality: quality))
            }
        }
        if json {
            print(JSONOutput.line(results))
            return
        }
        print("| collection | ranking | nDCG@10 | recall@100 |")
        print("|---|---|---:|---:|")
        for result in results {
            print("| \(result.collection) (\(result.documents.formatted) docs, \(result.quality.queries) queries) | \(result.ranking) | "
                  + String(format: "%.4f | %.4f |", result.quality.ndcgAt10, result.quality.recallAt100))
        }
    }
}

private struct EvalResult: Encodable {
    var collection: String
    var documents: Int
    var ranking: String
    var quality: RetrievalQuality
}
