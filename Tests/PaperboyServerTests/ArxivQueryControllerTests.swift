import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import PaperboyTesting
import Testing

/// `/api/query` answers as arXiv's API does, compared with arXiv's real answers.
struct ArxivQueryControllerTests {
    private static func feed(_ response: TestResponse) throws -> XMLElement {
        try #require(XMLDocument(data: Data(buffer: response.body)).rootElement())
    }

    private static func recorded(_ name: String) throws -> XMLElement {
        let url = Fixtures.shared("fixtures/arxiv-api/xml/\(name)")
        return try #require(XMLDocument(contentsOf: url).rootElement())
    }

    private static func value(_ element: XMLElement, _ name: String) -> String? {
        element.elements(forName: name).first?.stringValue
    }

    private static func childNames(_ element: XMLElement) -> Set<String> {
        Set((element.children ?? []).compactMap(\.name))
    }

    @Test func idListAnswersLikeArxiv() async throws {
        let fixture = try await ServerFixture.shared.value
        let real = try Self.recorded("recorded_id_2104.12255v1_s0_m100_6ae69987ffe1.xml")
        let feedNames = Self.childNames(real)
        let entryNames = Self.childNames(try #require(real.elements(forName: "entry").first))
        try await fixture.test { client in
            try await client.execute(uri: "/api/query?id_list=0704.0001v2,9999.99999&max_results=100", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let feed = try Self.feed(response)
                #expect(Self.childNames(feed).isSuperset(of: feedNames))
                #expect(Self.value(feed, "opensearch:totalResults") == "1")
                #expect(Self.value(feed, "opensearch:itemsPerPage") == "100")
                let entry = try #require(feed.elements(forName: "entry").first)
                #expect(Self.childNames(entry).isSuperset(of: entryNames))
                #expect(Self.value(entry, "id") == "https://arxiv.org/abs/0704.0001v2")
                #expect(Self.value(entry, "arxiv:doi") == "10.1103/physrevd.76.013009")
                #expect(Self.value(entry, "arxiv:journal_ref") != nil && Self.value(entry, "arxiv:comment") != nil)
                #expect(entry.elements(forName: "arxiv:primary_category").first?.attributeValue("term") == "hep-ph")
                let pdf = entry.elements(forName: "link").first { $0.attributeValue("title") == "pdf" }
                #expect(pdf?.attributeValue("rel") == "related")
            }
        }
    }

    @Test func unknownIdIsTheEmptyFeedAndAMalformedIdTheErrorFeed() async throws {
        let fixture = try await ServerFixture.shared.value
        let emptyTotal = Self.value(try Self.recorded("recorded_id_0000.0000_s0_m100_8b51d9633a68.xml"), "opensearch:totalResults")
        let realError = try #require(try Self.recorded("recorded_id_abc_s0_m100_b79c8dcf6bc3.xml").elements(forName: "entry").first)
        let errorSummary = Self.value(realError, "summary")
        let errorNames = Self.childNames(realError)
        try await fixture.test { client in
            try await client.execute(uri: "/api/query?id_list=0000.0000&max_results=100", method: .get) { response in
                #expect(response.status == .ok)
                let feed = try Self.feed(response)
                #expect(Self.value(feed, "opensearch:totalResults") == emptyTotal)
                #expect(feed.elements(forName: "entry").isEmpty)
            }
            try await client.execute(uri: "/api/query?id_list=abc", method: .get) { response in
                #expect(response.status == .badRequest)
                let feed = try Self.feed(response)
                let entry = try #require(feed.elements(forName: "entry").first)
                #expect(Self.value(entry, "title") == "Error")
                #expect(Self.value(entry, "summary") == errorSummary)
                #expect(Self.value(entry, "id")?.hasSuffix("#incorrect_id_format_for_abc") == true)
                #expect(Self.childNames(entry) == errorNames)
            }
            for bad in ["start=-1", "max_results=x", "sortBy=date", "sortOrder=up", "max_results=30001",
                        "search_query=ti:(unclosed", "search_query=jr:Nature"] {
                try await client.execute(uri: "/api/query?\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    let entries = try Self.feed(response).elements(forName: "entry")
                    #expect(entries.first.map { Self.value($0, "title") } == "Error")
                }
            }
        }
    }

    /// Pages of a search hold different papers and add up to the total.
    @Test(arguments: ["relevance", "submittedDate", "lastUpdatedDate"])
    func searchPagesWithoutDuplicates(sortBy: String) async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            var seen: [String] = []
            var total = 0
            var start = 0
            repeat {
                let uri = "/api/query?search_query=cat:hep-ph&start=\(start)&max_results=7&sortBy=\(sortBy)"
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    let feed = try Self.feed(response)
                    total = Int(Self.value(feed, "opensearch:totalResults") ?? "") ?? 0
                    #expect(Self.value(feed, "opensearch:startIndex") == String(start))
                    seen += feed.elements(forName: "entry").compactMap { Self.value($0, "id") }
                }
                start += 7
            } while start < total
            #expect(total > 14)
            #expect(seen.count == total)
            #expect(Set(seen).count == seen.count)
        }
    }
}
