import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting
import Testing

/// The library's pages over the real fixture papers, as a fixed reader sees them.
struct LibraryControllerTests {
    static let ada = ReaderID(rawValue: 1)
    static let grace = ReaderID(rawValue: 2)

    @Test func saveListTagPageAndRemove() async throws {
        let fixture = try await ServerFixture.fresh()
        let first = try #require(try await fixture.catalog.paper(PaperID("0704.0001")!)).paper
        let second = try #require(try await fixture.catalog.paper(PaperID("0704.0002")!)).paper
        try await fixture.test(as: Self.ada) { client in
            var response = try await client.postForm("/papers/0704.0001/save", [("csrf", ServerFixture.csrfToken), ("tag", " MoE ")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/papers/0704.0001#save")
            response = try await client.postForm("/papers/0704.0002/save", [("csrf", ServerFixture.csrfToken)])
            #expect(response.status == .seeOther)
            response = try await client.postForm("/papers/0704.0002/save", [("tag", "moe")])

            response = try await client.get("/library")
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let library = response.text
            #expect(library.contains(#"<a class="tag" href="/library/MoE">MoE</a>"#))
            #expect(library.contains(#"<a class="tag" href="/library/to%20read">to read</a>"#))
            #expect(library.contains("<td>2</td>") && library.contains("<td>1</td>"))
            #expect(library.contains(#"<input type="hidden" name="csrf" value="\#(ServerFixture.csrfToken)">"#))

            // Newest save first, each card with its remove button.
            let tagPage = try await client.get("/library/moe").text
            #expect(PageControllerTests.inOrder([second.title, first.title], in: tagPage))
            #expect(tagPage.contains(#"<form class="unsave" action="/papers/0704.0001/unsave" method="post"><input type="hidden" name="csrf" value="\#(ServerFixture.csrfToken)"><input type="hidden" name="tag" value="MoE"><input type="hidden" name="next" value="/library/MoE">"#))

            response = try await client.postForm("/papers/0704.0001/unsave", [("tag", "MoE"), ("next", "/library/MoE")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/library/MoE")
            let after = try await client.get("/library/MoE").text
            #expect(after.contains(htmlEscape(second.title)) && !after.contains(htmlEscape(first.title)))
            response = try await client.postForm("/papers/0704.0002/unsave", [("next", "https://evil.example/")])
            #expect(response.headers[.location] == "/papers/0704.0002#save", "only local addresses are returned to")
            #expect(try await client.get("/library/MoE").status == .notFound)
        }
        let library = try await fixture.store.library(of: Self.ada)
        #expect(library.saved.isEmpty && library.revision == 5)
    }

    @Test func oldStyleIdsSaveThroughTheirSlash() async throws {
        let fixture = try await ServerFixture.fresh()
        _ = try await fixture.store.upsert([SamplePapers.arxiv("hep-th/9901001", title: "Old style ids have a slash")])
        try await fixture.test(as: Self.ada) { client in
            let response = try await client.postForm("/papers/hep-th/9901001v2/save", [("tag", "strings")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/papers/hep-th/9901001#save")
            #expect(try await client.get("/library/strings").text.contains("Old style ids have a slash"))
            // The upvote beside it still reaches the upvote route.
            #expect(try await client.postForm("/papers/hep-th/9901001/upvote", []).headers[.location] == "/papers/hep-th/9901001#upvote")
        }
    }

    @Test func paperPageOffersSaveWithTheReadersTags() async throws {
        let fixture = try await ServerFixture.fresh()
        _ = try await fixture.store.save([PaperID("0704.0001")!], under: try LibraryTag("MoE"), for: Self.ada, at: Date())
        _ = try await fixture.store.save([PaperID("0704.0003")!], under: try LibraryTag("agents"), for: Self.ada, at: Date())
        try await fixture.test(as: Self.ada) { client in
            let html = try await client.get("/papers/0704.0001").text
            #expect(html.contains(#"<form action="/papers/0704.0001/save" method="post">"#))
            #expect(html.contains(#"<input type="hidden" name="csrf" value="\#(ServerFixture.csrfToken)">"#))
            #expect(html.contains(#"<datalist id="reader-tags"><option value="MoE"><option value="agents"></datalist>"#))
            #expect(html.contains(#"Saved under <a class="tag" href="/library/MoE">MoE</a>"#))
            #expect(!html.contains(#"href="/library/agents""#), "the paper is not under agents")
        }
        try await fixture.test(as: nil) { client in
            let html = try await client.get("/papers/0704.0001").text
            #expect(html.contains(#"<a href="/signin?next=%2Fpapers%2F0704.0001">Sign in</a> to save this paper"#))
            #expect(!html.contains("/save\" method=\"post\""))
        }
        try await fixture.test { client in
            let html = try await client.execute(uri: "/papers/0704.0001", method: .get) { $0.text }
            #expect(!html.contains(#"id="save""#), "an app without libraries offers no Save")
        }
    }

    @Test func nobodySignedInIsSentToSignInAndBack() async throws {
        let fixture = try await ServerFixture.fresh()
        try await fixture.test(as: nil) { client in
            var response = try await client.postForm("/papers/0704.0001/save", [("tag", "MoE")])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/signin?next=%2Fpapers%2F0704.0001")
            response = try await client.get("/library")
            #expect(response.headers[.location] == "/signin?next=%2Flibrary")
            response = try await client.get("/library/MoE")
            #expect(response.headers[.location] == "/signin?next=%2Flibrary%2FMoE")
            response = try await client.get("/library/export.bib?tag=MoE")
            #expect(response.headers[.location] == "/signin?next=%2Flibrary%2Fexport.bib%3Ftag%3DMoE")
        }
        #expect(try await fixture.store.tagSummaries(of: Self.ada).isEmpty)
    }

    @Test func tagNamesAreEscapedEverywhere() async throws {
        let fixture = try await ServerFixture.fresh()
        let tag = #"<script>alert("x")</script>"#
        try await fixture.test(as: Self.ada) { client in
            _ = try await client.postForm("/papers/0704.0001/save", [("tag", tag)])
            let path = LibraryController.tagPath(tag)
            #expect(path == "/library/%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E")
            for uri in ["/library", path, "/papers/0704.0001"] {
                let html = try await client.get(uri).text
                #expect(!html.contains("<script>alert"), "\(uri)")
                #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), "\(uri)")
            }
        }
    }

    @Test func badRequestsAreRefusedWithReasons() async throws {
        let fixture = try await ServerFixture.fresh()
        try await fixture.test(as: Self.ada) { client in
            var response = try await client.postForm("/papers/0704.0001/save", [("tag", String(repeating: "x", count: 65))])
            #expect(response.status == .badRequest)
            #expect(response.text.contains("tag: "))
            response = try await client.postForm("/papers/0704.0001/save", [("tag", "a, b")])
            #expect(response.status == .badRequest)
            response = try await client.postForm("/papers/2401.99999/save", [("tag", "MoE")])
            #expect(response.status == .notFound)
            #expect(try await client.get("/library/nothing-here").status == .notFound)
            #expect(try await client.get("/library/export.txt?tag=nothing-here").status == .notFound)
        }
        #expect(try await fixture.store.tagSummaries(of: Self.ada).isEmpty)
    }
}
