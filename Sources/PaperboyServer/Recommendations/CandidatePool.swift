import PaperboyCore
import Retrieval

/// The papers "For you" recommends from, as recommender features shared by every reader:
/// the `size` most recently published papers of the catalog.
///
/// Recent papers, because a recommendation is news: a reader finds older papers by search,
/// and arxiv-sanity too ranks only the recent ones. A bounded pool, because its tf-idf
/// features are built in one pass over its texts (0.04–0.15 ms a paper in one thread,
/// BENCHMARKS.md), so 10,000 papers cost a second or two, once per catalog version, shared
/// by every reader; training then samples its negatives from it whatever its size.
///
/// When the catalog searches by meaning, only papers that already have a vector of its model
/// are candidates: the server embeds new papers within a few refresher ticks, and the next
/// pool takes them in. A candidate without a vector beside ones with vectors would be ranked
/// on half its features. Without a model, every pool paper is a candidate on keywords alone.
/// (A reader's saved papers are always part of their training, vector or not: see
/// `LibraryTraining`.)
struct CandidatePool: Sendable {
    let features: PaperFeatures
    /// The catalog's version when the pool was read: a newer one means new papers or vectors.
    let catalogVersion: UInt64
    /// The width of every vector (0 without a model).
    var dimension: Int { features.dimension }

    /// Reads the newest `size` papers and their vectors from `catalog` and builds their features.
    static func build(from catalog: PaperCatalog, size: Int) async throws -> CandidatePool {
        // The version before the reads: a change landing meanwhile leaves the pool one
        // version behind, so it is rebuilt again rather than missed.
        let version = catalog.version
        let vectors = catalog.engine.semanticIndex?.vectors.store
        let newest = try await catalog.store.papers(matching: PaperQuery(limit: size))
        var papers: [Paper] = []
        var rows: [[Float]] = []
        papers.reserveCapacity(newest.count)
        rows.reserveCapacity(newest.count)
        for paper in newest {
            if let vectors {
                guard let vector = vectors.vector(for: paper.id.rawValue) else { continue }
                rows.append(vector)
            } else {
                rows.append([])
            }
            papers.append(paper)
        }
        return CandidatePool(features: PaperFeatures(papers: papers, vectors: rows), catalogVersion: version)
    }
}
