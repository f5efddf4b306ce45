import Foundation
import Hummingbird
import HummingbirdTesting
import Ingestion
import PaperboyCore
import PaperboyTesting
import Testing

/// The JSON API over the real fixture papers.
struct APIControllerTests {
    private static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func searchAnswersPlainSnippetsWithHighlightRanges() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/search?q=author:Streinu&size=5", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try Self.json(response)
                #expect(body["mode"] as? String == "keyword")
                #expect(body["page"] as? Int == 1 && body["size"] as? Int == 5)
                let results = try #require(body["results"] as? [[String: Any]])
                let first = try #require(results.first)
                let paper = try #require(first["paper"] as? [String: Any])
                #expect(paper["id"] as? String == "0704.0002")
                #expect(paper["title"] as? String == "Sparsity-certifying Graph Decompositions")
                #expect(paper["abstract_url"] as? String == "https://arxiv.org/abs/0704.0002")
                let snippet = try #require(first["snippet"] as? [String: Any])
                #expect((snippet["text"] as? String)?.contains("<") == false)
                #expect(snippet["highlights"] is [Any])
            }
            try await client.execute(uri: "/api/v1/search?q=%22graph%20decompositions%22", method: .get) { response in
                let results = try #require(try Self.json(response)["results"] as? [[String: Any]])
                let snippet = try #require(results.first?["snippet"] as? [String: Any])
                let text = try #require(snippet["text"] as? String)
                let ranges = try #require(snippet["highlights"] as? [[String: Int]])
                #expect(!ranges.isEmpty)
                let scalars = Array(text.unicodeScalars)
                for range in ranges {
                    let start = try #require(range["start"]), end = try #require(range["end"])
                    let word = String(String.UnicodeScalarView(scalars[start..<end])).lowercased()
                    #expect(word.hasPrefix("graph") || word.hasPrefix("decomposition"), "\(word)")
                }
            }
        }
    }

    @Test(arguments: [
        ("size=0", "size"), ("size=101", "size"), ("page=x", "page"), ("mode=fast", "mode"),
        ("since=2024-02-30", "since"), ("cat=%3Cb%3E", "cat"), ("sort=oldest", "sort"),
        ("since=2024-02-01&until=2024-01-01", "until"), ("q=%22open", "q"), ("mode=semantic&q=x", "mode"),
    ])
    func badSearchParametersAre400NamingTheParameter(query: String, parameter: String) async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/search?\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
                let body = try Self.json(response)
                #expect(body["parameter"] as? String == parameter)
                #expect((body["error"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func paperByIdAndUnknownOrMalformedIds() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/papers/0704.0001", method: .get) { response in
                #expect(response.status == .ok)
                let paper = try Self.json(response)
                #expect(paper["doi"] as? String == "10.1103/physrevd.76.013009")
                #expect((paper["authors"] as? [String])?.isEmpty == false)
            }
            // A DOI id keeps its `:` and `/`: no record has it, so it is a 404 naming it, not a 400.
            try await client.execute(uri: "/api/v1/papers/doi:10.1103/PhysRevD.76.999999", method: .get) { response in
                #expect(response.status == .notFound)
                let reply = try Self.json(response)
                #expect((reply["error"] as? String)?.contains("doi:10.1103/physrevd.76.999999") == true)
            }
            try await client.execute(uri: "/api/v1/papers/9999.99999", method: .get) { response in
                #expect(response.status == .notFound)
                let reply = try Self.json(response)
                #expect((reply["error"] as? String)?.contains("9999.99999") == true)
            }
            try await client.execute(uri: "/api/v1/papers/not-an-id", method: .get) { response in
                #expect(response.status == .badRequest)
                let reply = try Self.json(response)
                #expect(reply["parameter"] as? String == "id")
            }
        }
    }

    /// An old arXiv id holds a `/`, written as is or as %2F; its similar papers hang below it.
    @Test func oldStyleIdsWithSlashResolve() async throws {
        let fixture = try await ServerFixture.fresh()
        let atom = Fixtures.shared("fixtures/arxiv-api/xml/recorded_id_astro-ph_0601001_s0_m100_3150dca9dc76.xml")
        _ = try await FileImporter(store: fixture.store).importFile(atom)
        try await fixture.test { client in
            for uri in ["/api/v1/papers/astro-ph/0601001", "/api/v1/papers/astro-ph%2F0601001"] {
                try await client.execute(uri: uri, method: .get) { response in
                    // This fixture has no map: the map's routes say so (`MapControllerTests` has one).
                    #expect(response.status == (uri.hasPrefix("/api/v1/map") ? .notFound : .ok), "\(uri)")
                    let reply = try Self.json(response)
                    #expect(reply["id"] as? String == "astro-ph/0601001")
                }
            }
            try await client.execute(uri: "/api/v1/papers/astro-ph/0601001/similar?size=3", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["id"] as? String == "astro-ph/0601001")
                #expect(((body["results"] as? [Any])?.count ?? 99) <= 3)
            }
            try await client.execute(uri: "/api/v1/papers/0704.0002/similar?size=0", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func dailyTrendingAndStats() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/daily", method: .get) { response in
                #expect(response.status == .ok)
                let body = try Self.json(response)
                #expect(body["view"] as? String == "day")
                #expect(body["date"] as? String == "2026-06-11")  // the newest paper's day
                #expect((body["papers"] as? [Any])?.isEmpty == false)
            }
            try await client.execute(uri: "/api/v1/daily?date=2007-04-02&view=month&cat=hep-ph", method: .get) { response in
                let body = try Self.json(response)
                #expect(body["date"] as? String == "2007-04-01")
                let papers = try #require(body["papers"] as? [[String: Any]])
                #expect(!papers.isEmpty)
                #expect(papers.allSatisfy { (($0["paper"] as? [String: Any])?["categories"] as? [String])?.contains { $0.hasPrefix("hep-ph") } == true })
            }
            try await client.execute(uri: "/api/v1/daily?view=year", method: .get) { response in
                #expect(response.status == .badRequest)
                let reply = try Self.json(response)
                #expect(reply["parameter"] as? String == "view")
            }
            try await client.execute(uri: "/api/v1/trending?size=3&page=2", method: .get) { response in
                let body = try Self.json(response)
                #expect(body["page"] as? Int == 2 && (body["papers"] as? [Any])?.count == 3)
                #expect((body["total"] as? Int ?? 0) > 6)
            }
            try await client.execute(uri: "/api/v1/stats", method: .get) { response in
                let body = try Self.json(response)
                #expect((body["papers"] as? Int ?? 0) > 200)
                #expect(body["semantic_search"] as? Bool == false)
            }
        }
    }

    /// The served document is the checked-in file, and every route it documents answers
    /// (with a real id for path templates), so the document and the routes cannot drift.
    @Test func openAPIDocumentIsTheFileAndEveryRouteAnswers() async throws {
        let fixture = try await ServerFixture.shared.value
        let file = Fixtures.projectRoot.appendingPathComponent("Sources/PaperboyServer/Resources/openapi.json")
        let onDisk = try Data(contentsOf: file)
        let document = try #require(JSONSerialization.jsonObject(with: onDisk) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = Set(try #require(document["paths"] as? [String: Any]).keys)
        #expect(paths == ["/api/v1/search", "/api/v1/papers/{id}", "/api/v1/papers/{id}/similar",
                                    "/api/v1/daily", "/api/v1/trending", "/api/v1/trends", "/api/v1/stats",
                                    "/api/v1/openapi.json", "/api/v1/map", "/api/v1/map/near", "/api/v1/map/search"])
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(buffer: response.body) == onDisk)
            }
            for path in paths {
                let uri = path.replacingOccurrences(of: "{id}", with: "0704.0002")
                try await client.execute(uri: uri, method: .get) { response in
                    // This fixture has no map: the map's routes say so (`MapControllerTests` has one).
                    #expect(response.status == (uri.hasPrefix("/api/v1/map") ? .notFound : .ok), "\(uri)")
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)")
                }
            }
        }
    }
}
