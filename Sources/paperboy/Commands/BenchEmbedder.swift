import ArgumentParser
import Embedding
import Foundation
import PaperboyCore

/// The model the judged-collection benchmarks (`bench eval`, `bench recommend`) embed
/// documents with, and the embedding itself, so both measure the same vectors.
struct BenchEmbedder {
    let embedder: SentenceEmbedder

    /// The model in `model`, else the installed one; exits 1, saying how to get one, when
    /// there is none.
    init(model: String?, global: GlobalOptions) throws {
        let directory = model.map { URL(fileURLWithPath: $0) } ?? ModelLocator.installedModel(dataDirectory: global.dataDirectory).directory
        guard let directory else {
            Terminal.printError("no embedding model is installed: run `paperboy model install`, or pass --model DIR.")
            throw ExitCode(1)
        }
        embedder = try SentenceEmbedder(modelDirectory: directory)
    }

    /// Each paper's unit vector of its `embeddingText` (title and abstract), in order, with
    /// a progress bar named `label`.
    func embed(_ papers: [Paper], label: String) -> [[Float]] {
        let bar = ProgressBar(label: label)
        let total = papers.count
        let vectors = embedder.embed(papers.map(\.embeddingText)) { done in
            bar.update(fraction: Double(done) / Double(total), count: done, unit: "documents")
        }
        bar.finish()
        return vectors
    }
}
