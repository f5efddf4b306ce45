import Foundation
import Ingestion
import PaperboyCore
import PaperboyServer
import PaperboyTesting
import Testing

struct IndexRefresherTests {
    /// A paper written to the store after the server started becomes searchable once the
    /// catalog refreshes; a refresh with nothing new changes nothing.
    @Test func papersWrittenWhileServingBecomeSearchable() async throws {
        let fixture = try await ServerFixture.fresh()
        #expect(try await fixture.catalog.refresh() == 0)
        let query = SearchRequest(query: "\"Riemannian quasiparticle lattices\"")
        #expect(try await fixture.catalog.search(query).hits.isEmpty)
        _ = try await fixture.store.upsert([SamplePapers.arxiv("2606.09999", title: "Riemannian quasiparticle lattices")])
        #expect(try await fixture.catalog.refresh() == 1)
        #expect(try await fixture.catalog.search(query).hits.map(\.paper.id.rawValue) == ["2606.09999"])
        #expect(try await fixture.catalog.refresh() == 0)
    }

    /// Rendered pages and API answers are kept per catalog version: once the index catches
    /// up, the same address answers with the new paper, on the page and in the API.
    @Test func keptPagesFollowTheIndex() async throws {
        let fixture = try await ServerFixture.fresh()
        try await fixture.test { client in
            let paths = ["/search?q=Riemannian+quasiparticle", "/api/v1/search?q=Riemannian+quasiparticle"]
            for path in paths {
                for _ in 0..<2 {
                    try await client.execute(uri: path, method: .get) { #expect(!$0.text.contains("2606.09999")) }
                }
            }
            _ = try await fixture.store.upsert([SamplePapers.arxiv("2606.09999", title: "Riemannian quasiparticle lattices")])
            for path in paths {
                try await client.execute(uri: path, method: .get) { #expect(!$0.text.contains("2606.09999")) }
            }
            #expect(try await fixture.catalog.refresh() == 1)
            for path in paths {
                try await client.execute(uri: path, method: .get) { #expect($0.text.contains("2606.09999")) }
            }
        }
    }
}
