import Foundation
import Logging
import Hummingbird
import PaperboyCore
import PaperboyServer
import ServiceLifecycle
import StorageSQLite

/// What a running server offers readers beyond reading, assembled in one place: accounts,
/// libraries, "For you", digest subscriptions and the digest schedule.
struct ReaderParts {
    var accounts: Accounts
    var library: LibraryAccess
    var forYou: ForYouSources
    var subscriptions: SubscriptionPages
    /// The digest schedule, run beside the web app.
    var services: [any Service]
}

extension ServeCommand {
    /// The reader features over `store`. The signed-in reader and CSRF token of a request are
    /// the `Visitor` that accounts found for it (`Visitor.current`), so the library, For you
    /// and subscription pages share one answer to "who is asking". Mail goes from `mail.from`
    /// (`paperboy@localhost` until it is set; nothing is delivered without mail settings).
    func readerParts(_ config: Configuration, store: any PaperboyStore, catalog: PaperCatalog, baseURL: String,
                     logger: Logger) async throws -> ReaderParts {
        let from = config.value(ConfigKeys.mailFrom) ?? "paperboy@localhost"
        let accounts = try Accounts(store: store, settings: AccountSettings(
            bcryptCost: UInt8(config.value(ConfigKeys.accountsBcryptCost) ?? 12), mailFrom: from), logger: logger)
        let reader: @Sendable (Request) async throws -> ReaderID? = { _ in Visitor.current.reader?.id }
        let csrf: @Sendable (Request) -> String = { _ in Visitor.current.csrf }

        let recommendations = ReaderRecommendations(catalog: catalog)
        Task { await recommendations.prepareCandidates() }
        let library: @Sendable (ReaderID) async throws -> ReaderLibrary = { try await store.library(of: $0) }

        let composer = DigestComposer(settings: try DigestSettings(baseURL: baseURL, from: from),
                                      signer: LinkSigner(secret: try await store.siteSecret()))
        let sources = CatalogDigestSources(catalog: catalog) { reader, perTag in
            try await recommendations.recommendations(for: try await library(reader), perTag: perTag).map { tag in
                (tag: tag.tag, entries: tag.papers.map { DigestEntry(paper: $0.paper, reason: DigestReason(likeTitle: $0.likeTitle, tag: $0.tag)) })
            }
        }
        let digests = DigestScheduler(run: DigestRun(store: store, sources: sources, composer: composer, logger: logger))
        return ReaderParts(
            accounts: accounts,
            library: LibraryAccess(store: store, reader: reader, csrf: csrf),
            forYou: ForYouSources(recommendations: recommendations, reader: reader, library: library),
            subscriptions: SubscriptionPages(store: store, composer: composer, reader: reader,
                                             address: { try await store.reader(id: $0)?.email }, csrf: csrf),
            services: [digests])
    }
}
