import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import PaperboyCore
import Testing

/// Atom feeds over the real fixture papers.
struct FeedControllerTests {
    private static func entries(_ response: TestResponse) throws -> [XMLElement] {
        let document = try XMLDocument(data: Data(buffer: response.body))
        return try #require(document.rootElement()).elements(forName: "entry")
    }

    @Test func dailyFeedListsTheLatestDay() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/feeds/daily.atom", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let entries = try Self.entries(response)
                #expect(!entries.isEmpty)
                for entry in entries {
                    for name in ["id", "title", "updated", "summary", "author", "link"] {
                        #expect(!entry.elements(forName: name).isEmpty, "\(name)")
                    }
                }
                #expect(response.text.contains("11 June 2026"))
            }
            try await client.execute(uri: "/feeds/daily.atom?date=2026-02-30", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"parameter\":\"date\""))
            }
        }
    }

    @Test func categoryFeedHoldsOnlyThatCategory() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/feeds/category/hep-ph.atom", method: .get) { response in
                #expect(response.status == .ok)
                let entries = try Self.entries(response)
                #expect(!entries.isEmpty)
                for entry in entries {
                    let terms = entry.elements(forName: "category").compactMap { $0.attributeValue("term") }
                    #expect(terms.contains { $0.hasPrefix("hep-ph") }, "\(terms)")
                }
            }
            try await client.execute(uri: "/feeds/category/%3Cx%3E.atom", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func searchFeedNeedsAQueryAndListsNewestMatches() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/feeds/search.atom", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"parameter\":\"q\""))
            }
            try await client.execute(uri: "/feeds/search.atom?q=graph", method: .get) { response in
                #expect(response.status == .ok)
                let entries = try Self.entries(response)
                #expect(!entries.isEmpty)
                let dates = entries.compactMap { $0.elements(forName: "published").first?.stringValue }
                #expect(dates == dates.sorted(by: >))
            }
        }
    }

    /// A hostile title stays text: escaped once, parsed back to the same characters.
    @Test func hostileTitleStaysText() async throws {
        let fixture = try await ServerFixture.fresh()
        let title = "<script>alert(1)</script> & <b>\"bold\"</b> ]]>"
        let paper = Paper(id: try #require(PaperID("2606.99999")), title: title, abstract: "An abstract </summary>.",
                          authors: [Author(name: "Eve <eve@example.org>")], categories: ["cs.CR"],
                          published: Date(timeIntervalSince1970: 1_781_222_400 + 3_600), sources: [.arxivAPI])
        _ = try await fixture.store.upsert([paper])
        try await fixture.test { client in
            try await client.execute(uri: "/feeds/daily.atom?date=2026-06-12", method: .get) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("<script>"))
                let entries = try Self.entries(response)
                let hostile = try #require(entries.first { $0.elements(forName: "title").first?.stringValue == title })
                #expect(hostile.elements(forName: "author").first?.elements(forName: "name").first?.stringValue == "Eve <eve@example.org>")
            }
        }
    }
}

extension XMLElement {
    /// An attribute's value by its plain name, however the parser keyed it.
    func attributeValue(_ name: String) -> String? {
        attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }
}
