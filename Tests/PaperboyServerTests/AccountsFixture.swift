import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyCore
import PaperboyServer
import PaperboyTesting
import Retrieval
import SearchIndex
import StorageSQLite
import Synchronization

/// A router over a real SQLite file with two papers, accounts hashing at bcrypt's lowest
/// cost, and a clock the test moves (the throttle's window, a reset link's hour).
final class AccountsFixture: Sendable {
    let directory: TemporaryDirectory
    let store: PaperDatabase
    let catalog: PaperCatalog
    let accounts: Accounts
    private let clock = TestClock()

    static let password = "correct horse battery"
    static let paper = "1706.03762"

    init() async throws {
        directory = try TemporaryDirectory()
        store = try PaperDatabase.file(at: directory.file("paperboy.sqlite"))
        _ = try await store.upsert([SamplePapers.arxiv(Self.paper), SamplePapers.arxiv("1810.04805", title: "BERT")])
        catalog = PaperCatalog(store: store, engine: SearchEngine(store: store, keywordIndex: try await KeywordIndex.build(from: store)))
        let clock = clock
        accounts = try Accounts(store: store, settings: AccountSettings(bcryptCost: 4, mailFrom: "accounts@paperboy.example"),
                                clock: { clock.now })
    }

    deinit { directory.remove() }

    func advance(by seconds: TimeInterval) { clock.advance(by: seconds) }

    /// Runs `body` with a client of this fixture's router (no sockets).
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = try buildRouter(catalog: catalog, settings: ServerSettings(host: "127.0.0.1", port: 8080,
                                                                                publicURL: "https://papers.example.org"),
                                     accounts: accounts)
        try await Application(router: router).test(.router, body)
    }

    /// A browser that opened `/signup` and signed up as `email`.
    func signedUp(_ email: String, _ client: any TestClientProtocol) async throws -> TestBrowser {
        var browser = TestBrowser()
        try await browser.get("/signup", client)
        try await browser.post("/signup", [("email", email), ("password", Self.password)], client)
        return browser
    }
}

/// A clock that stands still until a test moves it.
final class TestClock: Sendable {
    private let instant = Mutex(Date(timeIntervalSince1970: 1_790_000_000))
    var now: Date { instant.withLock { $0 } }
    func advance(by seconds: TimeInterval) { instant.withLock { $0 += seconds } }
}

extension TestResponse {
    /// Whether the page's header shows a signed-in reader.
    var showsSignedIn: Bool { String(buffer: body).contains(#"action="/signout""#) }
}
