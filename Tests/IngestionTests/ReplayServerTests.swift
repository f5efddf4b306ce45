import AsyncHTTPClient
import Foundation
import Logging
import PaperboyTesting
import Testing

@testable import Ingestion

private let folder = "fixtures/arxiv-oai-pmh/"
private let firstPage = "/oai2?verb=ListRecords&from=2023-03-07&metadataPrefix=oai_dc"
private let secondPage = "/oai2?verb=ListRecords&resumptionToken=6511260%7C1001"

/// The replay faults that reach a harvester as a well-formed answer: served as they are, once.
@Suite struct ReplayServerTests {
    @Test func replacementAndDuplicateAreServedOnceThenTheRecordedPageAgain() async throws {
        let server = try await ReplayServer.start(routes: [
            try .recorded(firstPage, file: folder + "oai_dc_ListRecords_data_0.xml"),
            try .recorded(secondPage, file: folder + "oai_dc_ListRecords_data_1.xml"),
        ])
        let first = try Data(contentsOf: Fixtures.shared(folder + "oai_dc_ListRecords_data_0.xml"))
        let second = try Data(contentsOf: Fixtures.shared(folder + "oai_dc_ListRecords_data_1.xml"))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let badToken = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
            <error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error>
            </OAI-PMH>
            """.utf8)
        server.inject([.duplicate(of: firstPage), .replace(with: badToken)], into: secondPage)
        let client = SourceClient(http: http, contact: nil, retry: RetryPolicy(attempts: 1), timeout: .seconds(60),
                                  logger: Logger(label: "test"))
        do {
            let url = server.baseURL + secondPage
            let answers = [
                try await client.fetch(url) { $0 }, try await client.fetch(url) { $0 }, try await client.fetch(url) { $0 },
            ]
            #expect(answers[0] == first)
            #expect(answers[1] == badToken)
            #expect(answers[2] == second)
            #expect(server.requests.map(\.target) == [secondPage, secondPage, secondPage])
        } catch {
            try? await http.shutdown()
            try? await server.shutdown()
            throw error
        }
        try await http.shutdown()
        try await server.shutdown()
    }
}
