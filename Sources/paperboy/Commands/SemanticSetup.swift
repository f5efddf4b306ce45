import Embedding
import Foundation
import Logging
import PaperboyCore
import Retrieval
import VectorIndex

/// The semantic half for commands that search: the installed model and the vector index
/// of the data directory (`vector.index`, kept in step with the store's vectors). Without
/// a model, search works on keywords alone and says so once, on standard error.
struct SemanticSetup {
    let global: GlobalOptions
    let store: any PaperStore
    private let logger = Logger(label: "paperboy.semantic")

    /// The model, or nil (after saying why) when none is installed.
    func embedder() throws -> SentenceEmbedder? {
        let lookup = ModelLocator.installedModel(dataDirectory: global.dataDirectory)
        guard let directory = lookup.directory else {
            Terminal.printNotice("No embedding model is installed, so search uses keywords only. Run `paperboy model install`, then `paperboy embed`.")
            return nil
        }
        return try SentenceEmbedder(modelDirectory: directory)
    }

    /// The model and the vector index, or nil when there is no model.
    func open() async throws -> SemanticIndex? {
        guard let embedder = try embedder() else { return nil }
        // Read first: a vector saved while the index loads is taken in again, never missed.
        let sequence = try await store.vectorSequence()
        let vectors = try await VectorIndexFile(dataDirectory: global.dataDirectory, store: store, model: embedder.modelName)
            .open(dimension: embedder.dimension)
        if vectors.count == 0 {
            Terminal.printNotice("No paper has a vector yet, so search by meaning finds nothing. Run `paperboy embed`.")
        }
        return SemanticIndex(embedder: embedder, vectors: vectors, sequence: sequence)
    }
}

/// `vector.index` in the data directory: the vectors of one model, loaded when it holds as
/// many as the store and rebuilt from the store's vectors (never re-embedded) otherwise.
///
/// `paperboy embed` saves the file after each run. A running server also stores vectors (of
/// papers stored while it runs) but never saves the file, and an import that changes a
/// paper's text deletes its vector in the store: either way the counts differ and the next
/// open rebuilds. Counts miss one case: when every vector a server stored replaces one an
/// import deleted (changed abstracts, no new papers), the file keeps those papers' old vectors.
struct VectorIndexFile {
    let url: URL
    let store: any PaperStore
    let model: String
    private let logger = Logger(label: "paperboy.index")

    init(dataDirectory: URL, store: any PaperStore, model: String) {
        url = dataDirectory.appendingPathComponent("vector.index")
        self.store = store
        self.model = model
    }

    func open(dimension: Int) async throws -> VectorSearcher {
        let stored = try await store.vectorCount(model: model)
        do {
            let loaded = try VectorSearcher.load(from: url.path)
            if loaded.count == stored, loaded.dimension == dimension { return loaded }
            logger.notice("vector index is out of step with the store; rebuilding",
                          metadata: ["indexed": "\(loaded.count)", "stored": "\(stored)"])
        } catch {
            if FileManager.default.fileExists(atPath: url.path) {
                logger.notice("vector index unreadable; rebuilding", metadata: ["reason": "\(error)"])
            }
        }
        var searcher = try await rebuild(dimension: dimension, total: stored)
        try searcher.save(to: url.path)
        return searcher
    }

    /// Reads every stored vector of the model, page by page, into a new index.
    func rebuild(dimension: Int, total: Int) async throws -> VectorSearcher {
        var index = VectorStore(dimension: dimension, capacity: total)
        let bar = ProgressBar(label: "loading vectors")
        var after: PaperID?
        while true {
            let page = try await store.vectors(model: model, after: after, limit: 10_000)
            guard let last = page.last else { break }
            for vector in page { try index.add(key: vector.id.rawValue, vector: vector.vector) }
            after = last.id
            bar.update(fraction: total > 0 ? Double(index.count) / Double(total) : nil, count: index.count, unit: "vectors")
        }
        bar.finish()
        let count = index.count
        let linking = ProgressBar(label: "linking vectors")
        defer { linking.finish() }
        return VectorSearcher(store: index) { linked in
            linking.update(fraction: count > 0 ? Double(linked) / Double(count) : nil, count: linked, unit: "vectors")
        }
    }
}
