import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyCore
import PaperboyServer
import PaperMap
import Testing

/// The map page, its tiles and its JSON, over the real fixture papers laid out on a known grid.
struct MapControllerTests {
    private static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// Every fixture paper but the ones `leaving` out, paper `i` at column `i % 20`, row
    /// `i / 20`, in topic 0 ("graphs") left of the middle and 1 ("quantum") right of it.
    private static func gridMap(_ papers: [Paper], leaving left: Set<String> = []) -> PaperMap {
        let kept = papers.filter { !left.contains($0.id.rawValue) }
        let points = kept.indices.map { MapPoint(x: (Float($0 % 20) + 0.5) / 20, y: (Float($0 / 20) + 0.5) / 20) }
        let topics = points.map { UInt16($0.x < 0.5 ? 0 : 1) }
        return PaperMap(ids: kept.map(\.id), points: points, topicOfPaper: topics,
                        publishedDay: Array(repeating: 20_000, count: kept.count),
                        topics: [MapTopic(label: "graphs, edges, trees", terms: ["graphs"], center: MapPoint(x: 0.25, y: 0.5), papers: 1),
                                 MapTopic(label: "quantum, spin, field", terms: ["quantum"], center: MapPoint(x: 0.75, y: 0.5), papers: 1)],
                        model: "all-MiniLM-L6-v2", computedAt: Date(timeIntervalSince1970: 1_781_308_800))
    }

    private static func fixtureWithMap(leaving left: Set<String> = []) async throws -> (ServerFixture, PaperMap) {
        let fixture = try await ServerFixture.fresh()
        let papers = try await fixture.store.papers(matching: PaperQuery(limit: 10_000)).sorted { $0.id < $1.id }
        let map = gridMap(papers, leaving: left)
        fixture.catalog.fieldMap.replace(map)
        return (fixture, map)
    }

    @Test func withoutAMapThePageSaysHowToMakeOne() async throws {
        let fixture = try await ServerFixture.fresh()
        try await fixture.test { client in
            try await client.execute(uri: "/map", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("There is no map yet"))
                #expect(response.text.contains("paperboy map"))
                #expect(!response.text.contains("<canvas"))
            }
            try await client.execute(uri: "/api/v1/map", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains("paperboy map"))
            }
            for uri in ["/api/v1/map", "/api/v1/map/near?x=0.5&y=0.5", "/api/v1/map/search?q=graph"] {
                try await client.execute(uri: uri, method: .post) { response in
                    #expect(response.status == .methodNotAllowed, "\(uri)")
                    #expect(response.headers[.allow] == "GET")
                }
            }
        }
    }

    @Test func thePageListsTheTopicsAndTheAPIDescribesTheMap() async throws {
        let (fixture, map) = try await Self.fixtureWithMap()
        try await fixture.test { client in
            try await client.execute(uri: "/map", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<canvas"))
                #expect(response.text.contains("graphs, edges, trees"))
                #expect(response.text.contains("\(map.count.formatted()) papers placed by meaning"))
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            }
            try await client.execute(uri: "/api/v1/map", method: .get) { response in
                let body = try Self.json(response)
                #expect(body["papers"] as? Int == map.count)
                let topics = try #require(body["topics"] as? [[String: Any]])
                #expect(topics.map { $0["label"] as? String } == ["graphs, edges, trees", "quantum, spin, field"])
                #expect(topics.first?["color"] as? String == TopicPalette.css(0))
            }
        }
    }

    @Test func tilesArePNGsAtTheMapsVersionAndNowhereElse() async throws {
        let (fixture, _) = try await Self.fixtureWithMap()
        try await fixture.test { client in
            let version = try await client.execute(uri: "/api/v1/map", method: .get) { try #require(try Self.json($0)["version"] as? String) }
            try await client.execute(uri: "/map/tiles/\(version)/0/0/0", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                #expect(response.headers[.cacheControl]?.contains("immutable") == true)
                #expect(Array(Data(buffer: response.body).prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
            // The same tile again comes from the cache, byte for byte.
            let first = try await client.execute(uri: "/map/tiles/\(version)/3/2/1", method: .get) { Data(buffer: $0.body) }
            let again = try await client.execute(uri: "/map/tiles/\(version)/3/2/1", method: .get) { Data(buffer: $0.body) }
            #expect(first == again && !first.isEmpty)
            for uri in ["/map/tiles/old/0/0/0", "/map/tiles/\(version)/1/2/0", "/map/tiles/\(version)/15/0/0", "/map/tiles/\(version)/a/0/0"] {
                try await client.execute(uri: uri, method: .get) { response in #expect(response.status == .notFound, "\(uri)") }
            }
        }
    }

    @Test func thePaperUnderThePointerComesWithItsTitle() async throws {
        let (fixture, map) = try await Self.fixtureWithMap()
        let index = try #require(map.ids.firstIndex { $0.rawValue == "0704.0002" })
        let point = map.points[index]
        try await fixture.test { client in
            try await client.execute(uri: "/api/v1/map/near?x=\(point.x + 0.004)&y=\(point.y - 0.003)&r=0.01", method: .get) { response in
                let paper = try #require(try Self.json(response)["paper"] as? [String: Any])
                #expect(paper["id"] as? String == "0704.0002")
                #expect(paper["title"] as? String == "Sparsity-certifying Graph Decompositions")
                #expect(abs((paper["x"] as? Double ?? 0) - Double(point.x)) < 1e-6)
            }
            // Between grid points (0.05 apart), nothing lies within 0.01.
            try await client.execute(uri: "/api/v1/map/near?x=\(point.x + 0.025)&y=\(point.y + 0.025)&r=0.01", method: .get) { response in
                let body = try Self.json(response)
                #expect(body["paper"] is NSNull)
            }
            try await client.execute(uri: "/api/v1/map/near?x=left&y=0.5", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("x"))
            }
        }
    }

    @Test func aSearchsHitsComeWithTheirPlacesAndTheOnesOffTheMapAreCounted() async throws {
        let (fixture, map) = try await Self.fixtureWithMap(leaving: ["0704.0002"])
        try await fixture.test { client in
            let inStore = try await client.execute(uri: "/api/v1/search?q=graph&size=100", method: .get) { response in
                try #require(try Self.json(response)["results"] as? [[String: Any]]).compactMap { ($0["paper"] as? [String: Any])?["id"] as? String }
            }
            try await client.execute(uri: "/api/v1/map/search?q=graph", method: .get) { response in
                let body = try Self.json(response)
                let hits = try #require(body["hits"] as? [[String: Any]])
                let ids = hits.compactMap { $0["id"] as? String }
                #expect(!ids.isEmpty)
                // "Sparsity-certifying Graph Decompositions" matches but is left off this map.
                #expect(inStore.contains("0704.0002"))
                #expect(ids == inStore.filter { $0 != "0704.0002" })
                #expect(body["off_map"] as? Int == 1)
                for hit in hits {
                    let index = try #require(map.ids.firstIndex { $0.rawValue == hit["id"] as? String })
                    #expect(abs((hit["x"] as? Double ?? 0) - Double(map.points[index].x)) < 1e-6)
                    #expect(hit["title"] is String)
                }
            }
        }
    }
}
