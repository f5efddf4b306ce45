import AsyncHTTPClient
import Foundation
import InMemoryLogging
import Logging
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

/// The last page of a real arXiv harvest, served where arXiv serves it.
private let pageFile = "fixtures/arxiv-oai-pmh/oai_dc_ListRecords_data_2.xml"
private let pageTarget = "/oai2?verb=ListRecords&resumptionToken=6511260%7C2001"
private let contact = "harvest@example.org"
/// Fast enough for tests: without a `Retry-After`, no wait exceeds 40 ms.
private let fastRetry = RetryPolicy(attempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(40), maxRetryAfter: .seconds(5))

/// A page decoder that, like a harvester, rejects a page that does not end its document.
private struct IncompletePage: TransientPageError {}
private func wholePage(_ data: Data) throws -> Data {
    let tail = String(decoding: data.suffix(32), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard tail.hasSuffix("</OAI-PMH>") else { throw IncompletePage() }
    return data
}

/// A replay server serving the recorded page (with `faults` queued) and a client pointed at it.
private struct Harness {
    let server: ReplayServer
    let http: HTTPClient
    let logs = InMemoryLogHandler()

    var pageURL: String { server.baseURL + pageTarget }
    var retryWarnings: [InMemoryLogHandler.Entry] { logs.entries.filter { $0.level == .warning } }

    func client(retry: RetryPolicy = fastRetry, timeout: Duration = .seconds(60)) -> SourceClient {
        let handler = logs
        return SourceClient(http: http, contact: contact, retry: retry, timeout: timeout, logger: Logger(label: "test") { _ in handler })
    }

    static func run<R>(faults: [ReplayFault] = [], _ body: (Harness) async throws -> R) async throws -> R {
        let server = try await ReplayServer.start(routes: [try .recorded(pageTarget, file: pageFile)])
        server.inject(faults, into: pageTarget)
        let harness = Harness(server: server, http: HTTPClient(eventLoopGroupProvider: .singleton, configuration: SourceClient.httpConfiguration))
        do {
            let result = try await body(harness)
            try await harness.http.shutdown()
            try await server.shutdown()
            return result
        } catch {
            try? await harness.http.shutdown()
            try? await server.shutdown()
            throw error
        }
    }
}

private func recordedPage() throws -> Data { try Data(contentsOf: Fixtures.shared(pageFile)) }

@Suite struct SourceClientTests {
    @Test func fetchesTheRecordedPageAndNamesPaperboyAndItsContact() async throws {
        let expected = try recordedPage()
        try await Harness.run { harness in
            let page = try await harness.client().fetch(harness.pageURL, decode: wholePage)
            #expect(page == expected)
            let requests = harness.server.requests
            #expect(requests.map(\.target) == [pageTarget])
            #expect(requests.first?.userAgent == "Paperboy/\(PaperboyVersion.current) (+mailto:\(contact))")
            #expect(harness.retryWarnings.isEmpty)
        }
    }

    @Test func waitsAsLongAsRetryAfterSaysAfterA503() async throws {
        let busy = try Data(contentsOf: Fixtures.shared("fixtures/arxiv-oai-pmh/retry_after_503_body.html"))
        let expected = try recordedPage()
        try await Harness.run(faults: [.status(503, retryAfter: "1", body: busy)]) { harness in
            let page = try await harness.client().fetch(harness.pageURL, decode: wholePage)
            #expect(page == expected)
            let requests = harness.server.requests
            try #require(requests.count == 2)
            // The policy alone would wait at most 40 ms; only Retry-After explains a second.
            #expect(requests[0].receivedAt.duration(to: requests[1].receivedAt) >= .milliseconds(950))
            #expect(requests.allSatisfy { $0.userAgent?.contains(contact) == true })
            let warning = try #require(harness.retryWarnings.first)
            #expect(warning.metadata["url"] == .string(harness.pageURL))
            #expect(warning.metadata["attempt"]?.description == "1")
            #expect(warning.metadata["reason"]?.description.contains("503") == true)
        }
    }

    @Test func fetchesAgainAfterAResetMidBody() async throws {
        let expected = try recordedPage()
        try await Harness.run(faults: [.resetMidBody(afterBytes: 100_000)]) { harness in
            let page = try await harness.client().fetch(harness.pageURL, decode: wholePage)
            #expect(page == expected)
            #expect(harness.server.requests.count == 2)
            let warnings = harness.retryWarnings
            #expect(warnings.count == 1)
            #expect(warnings.first?.metadata["reason"]?.description.contains("closed before the whole answer") == true)
        }
    }

    /// The timeout leaves room for the whole test suite keeping two cores busy while this
    /// page is served; the slow answer takes far longer than the timeout and the retry together.
    @Test func givesUpOnASlowAnswerAfterTheTimeoutAndAsksAgain() async throws {
        let expected = try recordedPage()
        try await Harness.run(faults: [.delay(.seconds(180))]) { harness in
            let start = ContinuousClock.now
            let page = try await harness.client(timeout: .seconds(20)).fetch(harness.pageURL, decode: wholePage)
            #expect(page == expected)
            #expect(harness.server.requests.count >= 2)
            #expect(start.duration(to: .now) < .seconds(150), "the slow answer was waited for")
        }
    }

    @Test func fetchesATruncatedPageAgainWhenTheDecoderSaysSo() async throws {
        let expected = try recordedPage()
        try await Harness.run(faults: [.truncate(toBytes: 300_000)]) { harness in
            var bodies: [Int] = []
            let page = try await harness.client().fetch(harness.pageURL) { data in
                bodies.append(data.count)
                return try wholePage(data)
            }
            #expect(page == expected)
            #expect(bodies == [300_000, expected.count])
            #expect(harness.server.requests.count == 2)
        }
    }

    @Test func pageTruncatedOnEveryAttemptFailsAsMalformed() async throws {
        try await Harness.run(faults: Array(repeating: .truncate(toBytes: 1_000), count: 4)) { harness in
            let error = await #expect(throws: HarvestError.self) {
                try await harness.client().fetch(harness.pageURL, decode: wholePage)
            }
            #expect(error?.code == .malformed)
            #expect(error?.cause is IncompletePage)
            #expect(harness.server.requests.count == fastRetry.attempts)
        }
    }

    @Test func serverErrorOnEveryAttemptFailsAsUnreachable() async throws {
        try await Harness.run(faults: Array(repeating: .status(500), count: 4)) { harness in
            let error = await #expect(throws: HarvestError.self) {
                try await harness.client().fetch(harness.pageURL, decode: wholePage)
            }
            #expect(error?.code == .unreachable)
            #expect(error?.message.contains("500") == true)
            #expect(harness.server.requests.count == fastRetry.attempts)
            #expect(harness.retryWarnings.count == fastRetry.attempts - 1)
        }
    }

    @Test func notFoundFailsAtOnceAsRefused() async throws {
        try await Harness.run { harness in
            let url = harness.server.baseURL + "/oai2?verb=ListRecords&resumptionToken=unknown"
            let error = await #expect(throws: HarvestError.self) {
                try await harness.client().fetch(url, decode: wholePage)
            }
            #expect(error?.code == .refused)
            #expect(error?.message.contains(url) == true)
            #expect(error?.message.contains("404") == true)
            #expect(harness.server.requests.count == 1)
        }
    }

    @Test func decoderErrorThatIsNotTransientFailsAtOnceAsMalformed() async throws {
        struct NotOAIPMH: Error {}
        try await Harness.run { harness in
            let error = await #expect(throws: HarvestError.self) {
                try await harness.client().fetch(harness.pageURL) { _ -> Data in throw NotOAIPMH() }
            }
            #expect(error?.code == .malformed)
            #expect(error?.cause is NotOAIPMH)
            #expect(harness.server.requests.count == 1)
        }
    }

    @Test func closedPortFailsAsUnreachableAfterEveryAttempt() async throws {
        let gone = try await ReplayServer.start(routes: [])
        let url = gone.baseURL + pageTarget
        try await gone.shutdown()
        try await Harness.run { harness in
            var decoded = 0
            let error = await #expect(throws: HarvestError.self) {
                // A refused connection fails at once; a short timeout could run out first on a
                // machine busy with the rest of the suite, and the error would name the timeout.
                try await harness.client(timeout: .seconds(30)).fetch(url) { data in
                    decoded += 1
                    return data
                }
            }
            #expect(error?.code == .unreachable)
            #expect(error?.url == url)
            #expect(error?.message.contains(url) == true)
            #expect(error?.message.contains("\(fastRetry.attempts) attempts") == true)
            #expect(error?.message.contains("refused") == true)
            #expect(decoded == 0)
            #expect(harness.retryWarnings.count == fastRetry.attempts - 1)
        }
    }

    @Test func cancellationStopsTheWaitForRetryAfter() async throws {
        try await Harness.run(faults: [.status(503, retryAfter: "60")]) { harness in
            let client = harness.client(retry: RetryPolicy(attempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(40),
                                                           maxRetryAfter: .seconds(120)))
            let url = harness.pageURL
            let start = ContinuousClock.now
            let fetch = Task { try await client.fetch(url, decode: wholePage) }
            let giveUp = start + .seconds(50)
            while harness.retryWarnings.isEmpty, ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(10))
            }
            fetch.cancel()
            await #expect(throws: CancellationError.self) { try await fetch.value }
            #expect(start.duration(to: .now) < .seconds(55), "the whole Retry-After was waited for")
            #expect(harness.server.requests.count == 1)
        }
    }

    @Test func userAgentWithoutContactNamesPaperboyOnly() {
        #expect(SourceClient.userAgent(contact: nil) == "Paperboy/\(PaperboyVersion.current)")
        #expect(SourceClient.userAgent(contact: "  ") == "Paperboy/\(PaperboyVersion.current)")
    }

    @Test func urlThatIsNotHTTPFailsBeforeAnyRequest() async throws {
        try await Harness.run { harness in
            let error = await #expect(throws: HarvestError.self) {
                try await harness.client().fetch("ftp://export.arxiv.org/oai2", decode: wholePage)
            }
            #expect(error?.code == .malformed)
            #expect(harness.server.requests.isEmpty)
        }
    }
}
