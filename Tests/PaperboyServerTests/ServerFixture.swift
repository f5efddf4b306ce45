import Foundation
import Hummingbird
import HummingbirdTesting
import Ingestion
import PaperboyCore
import PaperboyServer
import PaperboyTesting
import Retrieval
import SearchIndex
import StorageSQLite

/// A router over real papers: the arXiv snapshot's first 200 records (dates, categories),
/// Hugging Face's daily list of 2026-06-12 (upvotes) and two Hugging Face papers pages, in
/// an in-memory store with its keyword index. Built once; tests that write (votes) use
/// `fresh()`.
final class ServerFixture: Sendable {
    let store: PaperDatabase
    let catalog: PaperCatalog

    static let files = [
        "fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl",
        "fixtures/hf-daily-papers/daily_papers_2026-06-12.json",
    ]

    init() async throws {
        store = try PaperDatabase.inMemory()
        for file in Self.files.map(Fixtures.shared) + (try Fixtures.hfPages.prefix(2)) {
            _ = try await FileImporter(store: store).importFile(file)
        }
        let index = try await KeywordIndex.build(from: store)
        catalog = PaperCatalog(store: store, engine: SearchEngine(store: store, keywordIndex: index),
                               clock: { Date(timeIntervalSince1970: 1_781_308_800) })  // 2026-06-13
    }

    static let shared = Task { try await ServerFixture() }

    static func fresh() async throws -> ServerFixture { try await ServerFixture() }

    func router() throws -> Router<AppRequestContext> {
        try buildRouter(catalog: catalog, settings: ServerSettings(host: "127.0.0.1", port: 8080),
                        accounts: try Accounts(store: store, settings: AccountSettings(bcryptCost: 4)))
    }

    /// Runs `body` with a client of this fixture's router (no sockets).
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: try router())
        try await app.test(.router, body)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
