import Foundation
import PaperboyCore
import Retrieval

/// The digest sections from this server's catalog: trending and saved searches on the one
/// ranking path the pages use; recommendations from whatever the server wires in.
public struct CatalogDigestSources: DigestSources {
    public typealias Recommendations = @Sendable (ReaderID, Int) async throws -> [(tag: String, entries: [DigestEntry])]

    let catalog: PaperCatalog
    let recommend: Recommendations

    /// `recommend` gives a reader's recommendations per tag with their reasons (none by default).
    public init(catalog: PaperCatalog, recommendations: @escaping Recommendations = { _, _ in [] }) {
        self.catalog = catalog
        recommend = recommendations
    }

    public func trending(since: Date, until: Date, limit: Int) async throws -> [Paper] {
        try await catalog.trending().lazy.map(\.paper)
            .filter { paper in paper.published.map { $0 >= since && $0 < until } ?? false }
            .prefix(limit).map { $0 }
    }

    public func recommendations(for reader: ReaderID, perTag limit: Int) async throws -> [(tag: String, entries: [DigestEntry])] {
        try await recommend(reader, limit).map { (tag: $0.tag, entries: Array($0.entries.prefix(limit))) }
    }

    public func searchHits(_ query: String, since: Date, until: Date, limit: Int) async throws -> [Paper] {
        let request = SearchRequest(query: query, since: since, until: until, pageSize: limit)
        do {
            return try await catalog.search(request).hits.map(\.paper)
        } catch is ParameterError {
            // A saved search that no longer parses finds nothing rather than stopping the digest.
            return []
        }
    }
}
