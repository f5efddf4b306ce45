import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyCore
import PaperboyServer
import PaperboyTesting
import Synchronization
import Testing

/// `GET /for-you` and `GET /api/for-you` through the real router: signed-out readers are
/// sent to sign in, an empty library gets directions, and a library gets a section per tag
/// with cards whose reasons link the saved paper, every field escaped. Accounts and
/// libraries are other parts of the app; here a session cookie names the reader and the
/// libraries are held in memory, through the same closures the server is given.
@Suite(.serialized) struct RecommendationsPageTests {
    typealias Fixture = RecommendationsFixture

    /// The libraries readers have, by reader.
    final class Libraries: Sendable {
        let byReader = Mutex<[ReaderID: ReaderLibrary]>([:])
        func set(_ library: ReaderLibrary) { byReader.withLock { $0[library.reader] = library } }
        func library(of reader: ReaderID) -> ReaderLibrary {
            byReader.withLock { $0[reader] } ?? ReaderLibrary(reader: reader, revision: 0, saved: [])
        }
    }

    /// The reader a request's `session` cookie names (`session=reader-7` is reader 7).
    static func reader(of request: Request) -> ReaderID? {
        guard let value = request.cookies["session"]?.value, value.hasPrefix("reader-"),
              let number = Int64(value.dropFirst("reader-".count)) else { return nil }
        return ReaderID(rawValue: number)
    }

    static func client(_ catalog: PaperCatalog, _ libraries: Libraries, recommendations: ReaderRecommendations,
                       _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let sources = ForYouSources(recommendations: recommendations, reader: { Self.reader(of: $0) },
                                    library: { libraries.library(of: $0) })
        let router = try buildRouter(catalog: catalog, settings: ServerSettings(), accounts: nil, forYou: sources)
        try await Application(router: router).test(.router, body)
    }

    static let signedIn: HTTPFields = [.cookie: "session=reader-1"]

    @Test func signedOutReadersAreSentToSignInAndTheAPIAnswers401() async throws {
        let fixture = try await ServerFixture.shared.value
        let libraries = Libraries()
        try await Self.client(fixture.catalog, libraries, recommendations: ReaderRecommendations(catalog: fixture.catalog)) { client in
            try await client.execute(uri: "/for-you", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/signin?next=/for-you")
            }
            try await client.execute(uri: "/api/for-you", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(response.text.contains("Sign in"))
            }
        }
    }

    @Test func anEmptyLibrarySaysHowToSavePapers() async throws {
        let fixture = try await ServerFixture.shared.value
        try await Self.client(fixture.catalog, Libraries(), recommendations: ReaderRecommendations(catalog: fixture.catalog)) { client in
            try await client.execute(uri: "/for-you", method: .get, headers: Self.signedIn) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "private, no-store")
                #expect(response.text.contains("Nothing saved yet"))
                #expect(response.text.contains("under a tag"))
                #expect(!response.text.contains("Because you saved"))
            }
            try await client.execute(uri: "/api/for-you", method: .get, headers: Self.signedIn) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((body?["tags"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func thePageShowsEachTagWithCardsAndReasonsEscaped() async throws {
        guard let fixture = try await Fixture.loaded() else { return }
        let (catalog, _) = try await fixture.catalog()
        // A saved paper whose title is markup, in a tag whose name is markup: both come back
        // as text in the reason line and the heading.
        let hostile = SamplePapers.arxiv(
            "2606.07777", title: #"<img src=x onerror="alert(1)"> Mixture-of-experts routing & load balancing"#,
            abstract: try fixture.paper("DeepSeekMoE").abstract)
        try await fixture.add(hostile, to: catalog)
        let tag = "<script>alert('MoE')</script>"
        let library = Fixture.library(revision: 4, [(tag, [hostile]), ("diffusion", try Fixture.diffusion.map(fixture.paper))])
        let libraries = Libraries()
        libraries.set(library)
        let recommendations = ReaderRecommendations(catalog: catalog)
        let prepared = try await recommendations.preparedForYou(library)
        let first = try #require(prepared.sections.first?.recommendations.papers.first)

        try await Self.client(catalog, libraries, recommendations: recommendations) { client in
            try await client.execute(uri: "/for-you", method: .get, headers: Self.signedIn) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("Because you saved papers in &lt;script&gt;alert(&#39;MoE&#39;)&lt;/script&gt;"))
                #expect(html.contains("Because you saved papers in diffusion"))
                #expect(!html.contains("<script>alert"))
                #expect(!html.contains("<img src=x"))
                #expect(html.contains(#"like <em><a href="/papers/2606.07777">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Mixture-of-experts routing &amp; load balancing</a></em> in your tag &lt;script&gt;"#))
                #expect(html.contains(#"<a href="/papers/\#(first.paper.id.rawValue)">"#))
                #expect(html.components(separatedBy: #"<p class="reason">"#).count - 1
                        == prepared.sections.reduce(0) { $0 + min(10, $1.recommendations.papers.count) })
            }
            try await client.execute(uri: "/api/for-you?size=3", method: .get, headers: Self.signedIn) { response in
                #expect(response.status == .ok)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(body["revision"] as? Int == 4)
                #expect(body["up_to_date"] as? Bool == true)
                let tags = try #require(body["tags"] as? [[String: Any]])
                #expect(tags.map { $0["tag"] as? String } == [tag, "diffusion"])
                #expect(tags.allSatisfy { $0["status"] as? String == "current" })
                let papers = try #require(tags.first?["papers"] as? [[String: Any]])
                #expect(papers.count == 3)
                #expect((papers.first?["paper"] as? [String: Any])?["id"] as? String == first.paper.id.rawValue)
                #expect((papers.first?["like"] as? [String: Any])?["title"] as? String == hostile.title)
            }
            try await client.execute(uri: "/api/for-you?size=0", method: .get, headers: Self.signedIn) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("\"parameter\":\"size\""))
            }
        }
    }
}
