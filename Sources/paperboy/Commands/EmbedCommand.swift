import ArgumentParser
import Embedding
import Foundation
import PaperboyCore
import Retrieval
import VectorIndex

/// `paperboy embed`: computes the vectors papers lack (new papers, changed abstracts) with
/// the installed model, stores them, and brings `vector.index` up to date.
struct EmbedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute the missing paper vectors for search by meaning.",
        discussion: """
            Each paper is embedded once, from its title and abstract, and its vector is kept in \
            the store; a paper whose title or abstract changes is embedded again. Stopping \
            midway keeps every vector stored so far.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Threads for the model (default: all cores).", valueName: "n"))
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() async throws {
        let store = try await global.openStore()
        let lookup = ModelLocator.installedModel(dataDirectory: global.dataDirectory)
        guard let directory = lookup.directory else {
            Terminal.printError("no embedding model is installed: run `paperboy model install` first.")
            throw ExitCode(1)
        }
        let embedder = try SentenceEmbedder(modelDirectory: directory, threads: threads)
        let file = VectorIndexFile(dataDirectory: global.dataDirectory, store: store, model: embedder.modelName)
        var index = try await file.open(dimension: embedder.dimension)
        let missing = try await store.statistics().papers - index.count
        let started = ContinuousClock.now
        let bar = ProgressBar(label: "embedding")
        var backfill = VectorBackfill(store: store, embedder: embedder)
        let embedded = try await backfill.run(into: &index) { done in
            bar.update(fraction: missing > 0 ? min(1, Double(done) / Double(missing)) : nil, count: done, unit: "papers")
        }
        bar.finish()
        try index.save(to: file.url.path)
        let seconds = Double((ContinuousClock.now - started).components.seconds)
            + Double((ContinuousClock.now - started).components.attoseconds) / 1e18
        if json {
            print(JSONOutput.line(["embedded": Double(embedded), "vectors": Double(index.count), "seconds": seconds]))
        } else if embedded == 0 {
            print("Every paper already has a vector (\(index.count.formatted) in all).")
        } else {
            let rate = seconds > 0 ? " (\(Int(Double(embedded) / seconds).formatted) papers/s)" : ""
            print("Embedded \(embedded.formatted) papers in \(String(format: "%.1f", seconds)) s\(rate); \(index.count.formatted) papers have vectors.")
        }
    }
}
