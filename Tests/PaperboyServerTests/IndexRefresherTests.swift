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
}
