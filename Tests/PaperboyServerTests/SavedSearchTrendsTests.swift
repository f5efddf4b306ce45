import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting
import Testing

/// `/trends` plots a signed-in reader's saved digest searches for them, and for nobody else.
struct SavedSearchTrendsTests {
    @Test func aReadersSavedSearchesArePlottedForThemAlone() async throws {
        let fixture = try await AccountsFixture()
        let composer = DigestComposer(settings: DigestFixture.settings, signer: LinkSigner(secret: try await fixture.store.siteSecret()))
        let router = try buildRouter(catalog: fixture.catalog, settings: ServerSettings(), accounts: fixture.accounts,
                                     subscriptions: SubscriptionPages(store: fixture.store, composer: composer))
        try await Application(router: router).test(.router) { client in
            var ada = try await fixture.signedUp("ada@example.org", client)
            var bob = try await fixture.signedUp("bob@example.org", client)
            let reader = try #require(try await fixture.store.reader(email: "ada@example.org"))
            _ = try await fixture.store.subscribe(
                SubscriptionRequest(email: "ada@example.org", reader: reader.id,
                                    options: DigestOptions(savedSearches: ["BERT", "title:attention", "\"unclosed"])),
                at: Date())

            let page = try await ada.get("/trends", client).text
            #expect(page.contains("Your saved searches"))
            // Each parsing search, linked to its full chart, with its weekly sparkline; the
            // one that no longer parses is left out, as the digest leaves it out.
            #expect(page.contains(#"<a href="/trends?q=BERT">BERT</a> <svg"#), "\(page)")
            #expect(page.contains(#"<a href="/trends?q=title:attention">title:attention</a> <svg"#))
            #expect(!page.contains("unclosed"))
            // "BERT" matches one of the two papers, "title:attention" the other.
            #expect(page.components(separatedBy: "<span class=\"count\">1 paper,").count == 3)

            #expect(!(try await bob.get("/trends", client).text.contains("Your saved searches")), "Bob saved no search")
            try await client.execute(uri: "/trends", method: .get) { response in
                #expect(!response.text.contains("Your saved searches"), "anonymous pages never show a reader's searches")
            }
        }
    }
}
