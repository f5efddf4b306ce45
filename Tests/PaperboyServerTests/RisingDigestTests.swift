import Foundation
import PaperboyCore
@testable import PaperboyServer
import Testing

/// The digest's "Rising this week", over the map of `TrendsPageTests`: its topic 1 jumps
/// from nothing to 8 papers in the week of 1 June 2026.
struct RisingDigestTests {
    @Test func theDigestNamesRisingTopicsOnlyWhenThereIsAMap() async throws {
        let (catalog, papers) = try await TrendsPageTests.catalog(map: true)
        let rising = try await CatalogDigestSources(catalog: catalog).risingTopics(limit: 3, papersEach: 2)
        #expect(rising.map(\.label) == [TrendsPageTests.risingLabel])
        #expect(rising.first?.count == 8 && rising.first?.usual == 0)
        #expect(rising.first?.papers.map(\.id) == papers.prefix(2).map(\.id))
        #expect(rising.first?.recentCounts.suffix(2) == [0, 8])

        let subscription = try DigestFixture.subscription()
        let sections = DigestFixture.sections(papers)
        let message = try #require(try DigestFixture.composer.digest(
            for: subscription, period: DigestFixture.due, sections: sections, rising: rising, at: DigestFixture.now))
        #expect(message.text.contains("RISING THIS WEEK\n\n1. \(TrendsPageTests.risingLabel): 8 papers in the week of 1 June 2026, usually 0.0"))
        #expect(message.text.contains("https://paperboy.example/trends/topic/1"))
        #expect(message.text.contains(BlockSparkline.text(rising[0].recentCounts)))
        #expect(message.html.contains("Rising this week"))
        #expect(message.html.contains(htmlEscape(TrendsPageTests.risingLabel)) && !message.html.contains(TrendsPageTests.risingLabel))
        #expect(!message.html.contains("<svg"), "mail carries no SVG")
        #expect(message.subject == "Paperboy digest 2026-11-26: 7 new papers", "rising topics add no papers to the count")

        // Rising topics alone make no digest.
        #expect(try DigestFixture.composer.digest(for: subscription, period: DigestFixture.due, sections: [],
                                                  rising: rising, at: DigestFixture.now) == nil)

        let (mapless, _) = try await TrendsPageTests.catalog(map: false)
        let none = try await CatalogDigestSources(catalog: mapless).risingTopics(limit: 3, papersEach: 2)
        #expect(none.isEmpty)
        let plain = try #require(try DigestFixture.composer.digest(
            for: subscription, period: DigestFixture.due, sections: sections, rising: none, at: DigestFixture.now))
        #expect(!plain.text.contains("RISING THIS WEEK") && !plain.html.contains("Rising this week"))
    }

    @Test func aDigestRunAddsRisingTopicsForTrendingSubscribers() async throws {
        let fixture = try await ServerFixture.fresh()
        fixture.catalog.fieldMap.replace(TrendsPageTests.map(try await fixture.store.papers(matching: PaperQuery(limit: 40))))
        let ada = try await DigestRunTests.subscribe(fixture.store, "ada@example.org")
        let grace = try await DigestRunTests.subscribe(fixture.store, "grace@example.org", trending: false, searches: ["language models"])
        let run = DigestRun(store: fixture.store, sources: CatalogDigestSources(catalog: fixture.catalog), composer: DigestFixture.composer)
        var cache: [DigestRisingTopic]?
        #expect(try await run.risingTopics(for: grace, cache: &cache).isEmpty, "grace did not ask for what is trending")
        #expect(try await run.risingTopics(for: ada, cache: &cache).map(\.label) == [TrendsPageTests.risingLabel])
        #expect(cache?.map(\.label) == [TrendsPageTests.risingLabel])
        let report = try #require(try await run.run(at: DigestRunTests.now))
        #expect(report.enqueued == 2)
        let adas = try #require(try await fixture.store.outboxMessage(key: "digest:\(ada.id):2026-W24"))
        let graces = try #require(try await fixture.store.outboxMessage(key: "digest:\(grace.id):2026-W24"))
        #expect(String(decoding: adas.draft.message, as: UTF8.self).contains("RISING THIS WEEK"))
        #expect(!String(decoding: graces.draft.message, as: UTF8.self).contains("RISING THIS WEEK"))
    }
}
