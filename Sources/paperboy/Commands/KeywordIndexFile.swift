import Foundation
import Logging
import PaperboyCore
import SearchIndex

/// The keyword index of the data directory: `keyword.index` beside the store, opened
/// through `KeywordIndex.open` (loaded, caught up, or rebuilt) and saved again whenever
/// opening had to change it, so the next start is a plain load.
struct KeywordIndexFile {
    let url: URL
    let store: any PaperStore
    private let logger = Logger(label: "paperboy.index")

    init(dataDirectory: URL, store: any PaperStore) {
        self.url = dataDirectory.appendingPathComponent("keyword.index")
        self.store = store
    }

    func open() async throws -> KeywordIndex {
        // No total here: counting the store's papers would slow every start, and the count
        // only matters in the rare start that rebuilds.
        let bar = ProgressBar(label: "indexing")
        let (index, opening) = try await KeywordIndex.open(file: url, store: store) { done in
            bar.update(fraction: nil, count: done, unit: "papers")
        }
        bar.finish()
        switch opening {
        case .loaded:
            return index
        case .caughtUp(let papers):
            logger.info("keyword index caught up", metadata: ["papers": "\(papers)"])
        case .rebuilt(let reason):
            logger.notice("keyword index rebuilt from the store", metadata: ["reason": "\(reason)", "papers": "\(index.documentCount)"])
        }
        try IndexFile.save(index, to: url)
        return index
    }

    /// Builds the index from the store and saves it, whatever the file held.
    func rebuild() async throws -> KeywordIndex {
        let total = try await store.statistics().papers
        let bar = ProgressBar(label: "indexing")
        let index = try await KeywordIndex.build(from: store) { done in
            bar.update(fraction: total > 0 ? min(1, Double(done) / Double(total)) : nil, count: done, unit: "papers")
        }
        bar.finish()
        try IndexFile.save(index, to: url)
        return index
    }
}
