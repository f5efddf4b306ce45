import Foundation
import HummingbirdTesting
import Testing

struct HealthControllerTests {
    @Test func healthzSaysOkWhileTheStoreAnswers() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text == "ok\n")
            }
        }
    }

    /// After a request, `/metrics` holds its latency histogram under the route pattern (not
    /// the raw path) and the index gauges.
    @Test func metricsExposeLatencyByRouteAndIndexSizes() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: "/static/nothing-here.css", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = response.text
                #expect(text.contains(#"paperboy_http_request_duration_seconds_bucket{route="/static/{name}",method="GET",status="404""#))
                #expect(!text.contains("nothing-here"))
                let documents = text.split(separator: "\n").first { $0.hasPrefix("paperboy_keyword_index_documents ") }
                #expect(documents.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 > 300 } == true)
            }
        }
    }

    /// An address past the limit is refused before routing, with a sentence.
    @Test func oversizedAddressIsRefused() async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            let long = String(repeating: "a", count: 5_000)
            try await client.execute(uri: "/search?q=\(long)", method: .get) { response in
                #expect(response.status == .uriTooLong)
                #expect(response.text.contains("longer than 4096 bytes"))
            }
        }
    }
}
