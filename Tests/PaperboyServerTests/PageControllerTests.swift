import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingestion
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting
import Retrieval
import SearchIndex
import StorageSQLite
import Testing

/// The HTML pages over the real fixture papers: expectations come from the catalog the
/// pages read, so they hold whatever the fixtures contain.
struct PageControllerTests {
    /// Where `needle` first occurs in `text` (for checking order), nil when absent.
    static func position(of needle: String, in text: String) -> String.Index? {
        text.range(of: needle)?.lowerBound
    }

    /// Whether the escaped `titles` appear in `html` in this order.
    static func inOrder(_ titles: [String], in html: String) -> Bool {
        let positions = titles.map { position(of: htmlEscape($0), in: html) }
        guard positions.allSatisfy({ $0 != nil }) else { return false }
        let found = positions.compactMap { $0 }
        return found == found.sorted()
    }

    // MARK: Daily

    @Test func dailyShowsTheLatestDayHottestFirst() async throws {
        let fixture = try await ServerFixture.shared.value
        let window = try #require(try await fixture.catalog.latestWindow(span: .day))
        let feed = try await fixture.catalog.daily(window)
        #expect(feed.papers.count >= 2)
        let expected = feed.papers.prefix(5).map(\.paper.title)
        try await fixture.test { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains(htmlEscape(window.title)))
                #expect(Self.inOrder(expected, in: html))
                #expect(html.contains(#"<a href="/" aria-current="page">Daily</a>"#))
                if let previous = feed.previous { #expect(html.contains("date=\(previous.isoDay)")) }
            }
        }
    }

    @Test func dailyCategoryFilterNarrows() async throws {
        let fixture = try await ServerFixture.shared.value
        // The arXiv snapshot's records (with categories) fill April 2007.
        let window = DayWindow(containing: try #require(DayWindow.day("2007-04-02")), span: .month)
        let all = try await fixture.catalog.daily(window)
        // A category some but not all of the month's papers carry.
        let category = try #require(Set(all.papers.flatMap(\.paper.categories)).sorted().first { name in
            all.papers.contains { !$0.paper.categories.contains(name) }
        })
        let narrowed = try await fixture.catalog.daily(window, category: category)
        let outside = try #require(all.papers.first { !$0.paper.categories.contains { $0.hasPrefix(category) } })
        try await fixture.test { client in
            try await client.execute(uri: "/?view=month&date=\(window.isoDay)&cat=\(category)", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(Self.inOrder(narrowed.papers.prefix(3).map(\.paper.title), in: html))
                #expect(!html.contains(htmlEscape(outside.paper.title)))
                #expect(html.contains(#"aria-current="page">Month</a>"#))
            }
        }
    }

    @Test func dailyPaginatesFiftyAPage() async throws {
        let fixture = try await ServerFixture.shared.value
        // The arXiv snapshot's records fill April 2007.
        let window = DayWindow(containing: try #require(DayWindow.day("2007-04-02")), span: .month)
        let feed = try await fixture.catalog.daily(window)
        try #require(feed.papers.count > PageModels.feedPageSize)
        try await fixture.test { client in
            try await client.execute(uri: "/?view=month&date=2007-04-02", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("page=2"))
                #expect(response.text.contains(htmlEscape(feed.papers[0].paper.title)))
                #expect(!response.text.contains(">\(htmlEscape(feed.papers[PageModels.feedPageSize].paper.title))<"))
            }
            try await client.execute(uri: "/?view=month&date=2007-04-02&page=2", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(htmlEscape(feed.papers[PageModels.feedPageSize].paper.title)))
                #expect(response.text.contains(#"rel="prev""#))
            }
        }
    }

    @Test(arguments: ["/?date=2026-13-45", "/?page=0", "/?view=year", "/?cat=%3Cb%3E", "/trending?page=0",
                      "/search?q=x&since=yesterday", "/search?q=x&mode=nonsense", "/search?q=x&page=0"])
    func badParametersAnswer400(uri: String) async throws {
        let fixture = try await ServerFixture.shared.value
        try await fixture.test { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("<h1>400"))
            }
        }
    }

    @Test func dayWithoutPapersLinksToTheNearestDayWithPapers() async throws {
        let fixture = try await ServerFixture.shared.value
        var window = try #require(try await fixture.catalog.latestWindow(span: .day))
        var empty: DailyFeed?
        for _ in 0..<60 {
            window = window.previous
            let feed = try await fixture.catalog.daily(window)
            if feed.papers.isEmpty { empty = feed; break }
        }
        let feed = try #require(empty)
        let neighbour = try #require(feed.previous ?? feed.next)
        try await fixture.test { client in
            try await client.execute(uri: "/?date=\(feed.window.isoDay)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("No papers were published"))
                #expect(response.text.contains("The nearest with papers"))
                #expect(response.text.contains("date=") && response.text.contains(htmlEscape(neighbour.title)))
            }
        }
    }

    @Test func emptyStoreTellsHowToFillIt() async throws {
        let store = try PaperDatabase.inMemory()
        let index = try await KeywordIndex.build(from: store)
        let catalog = PaperCatalog(store: store, engine: SearchEngine(store: store, keywordIndex: index))
        let accounts = try Accounts(store: store, settings: AccountSettings(bcryptCost: 4))
        let app = Application(router: try buildRouter(catalog: catalog, settings: ServerSettings(), accounts: accounts))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("paperboy import FILE"))
                #expect(response.text.contains("harvesting"))
            }
            try await client.execute(uri: "/trending", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    // MARK: Trending

    @Test func trendingRanksAsTheCatalogDoesAndSaysHow() async throws {
        let fixture = try await ServerFixture.shared.value
        let ranked = try await fixture.catalog.trending()
        #expect(ranked.count >= 3)
        try await fixture.test { client in
            try await client.execute(uri: "/trending", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(Self.inOrder(ranked.prefix(5).map(\.paper.title), in: html))
                #expect(html.contains("age in hours"))
                #expect(html.contains(#"<a href="/trending" aria-current="page">Trending</a>"#))
            }
        }
    }

    // MARK: Search

    @Test func searchShowsHighlightedHitsInRankOrder() async throws {
        let fixture = try await ServerFixture.shared.value
        let results = try await fixture.catalog.search(SearchRequest(query: "quantum"))
        #expect(results.hits.count >= 3)
        try await fixture.test { client in
            try await client.execute(uri: "/search?q=quantum", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(Self.inOrder(results.hits.prefix(5).map(\.paper.title), in: html))
                #expect(html.contains("<mark>"))
                #expect(html.contains("Keywords only"))
                #expect(!html.contains(#"name="mode""#))
                #expect(results.hasMore == html.contains("page=2"))
            }
        }
    }

    @Test func searchCategoryFilterNarrowsAndEmptyResultsSuggestRemovingFilters() async throws {
        let fixture = try await ServerFixture.shared.value
        let narrowed = try await fixture.catalog.search(SearchRequest(query: "quantum", category: "hep-th"))
        try await fixture.test { client in
            try await client.execute(uri: "/search?q=quantum&cat=hep-th", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.inOrder(narrowed.hits.prefix(3).map(\.paper.title), in: response.text))
                #expect(response.text.contains(#"value="hep-th""#))
            }
            try await client.execute(uri: "/search?q=quantum&author=Nobody%20Atall", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("No papers match"))
                #expect(response.text.contains("search again without them"))
            }
        }
    }

    @Test func querySyntaxErrorIsShownInlineAtItsColumn() async throws {
        let fixture = try await ServerFixture.shared.value
        let error = try #require(throws: ParameterError.self) { try SearchRequest(query: "\"unclosed").parsed() }
        try await fixture.test { client in
            try await client.execute(uri: "/search?q=%22unclosed", method: .get) { response in
                #expect(response.status == .badRequest)
                let html = response.text
                #expect(!html.contains("<h1>400"))
                #expect(html.contains(htmlEscape(error.message)))
                #expect(html.contains("column \(error.column ?? 0)"))
                #expect(html.contains(#"<mark class="error-column">"#))
                #expect(html.contains(#"aria-invalid="true""#))
                #expect(html.contains(#"value="&quot;unclosed""#))
            }
        }
    }

    /// A form sends spaces as `+`: the page reads them as spaces, so a typed phrase stays one.
    @Test func formEncodedSpacesAreSpaces() async throws {
        let fixture = try await ServerFixture.shared.value
        let results = try await fixture.catalog.search(SearchRequest(query: "\"quantum field\""))
        let first = try #require(results.hits.first)
        try await fixture.test { client in
            try await client.execute(uri: "/search?q=%22quantum+field%22", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(#"value="&quot;quantum field&quot;""#))
                #expect(response.text.contains(htmlEscape(first.paper.title)))
            }
        }
    }

    @Test func suggestionsAreAJSONArrayOfTitles() async throws {
        let fixture = try await ServerFixture.shared.value
        let expected = try await fixture.catalog.suggestions(for: "quan")
        #expect(!expected.isEmpty)
        try await fixture.test { client in
            try await client.execute(uri: "/search/suggest?q=quan", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let titles = try JSONDecoder().decode([String].self, from: Data(response.text.utf8))
                #expect(titles == expected)
            }
        }
    }

    // MARK: Paper

    @Test func paperPageShowsTheWholePaper() async throws {
        let fixture = try await ServerFixture.shared.value
        let paper = try #require(try await fixture.catalog.paper(PaperID("0704.0001")!)).paper
        try await fixture.test { client in
            try await client.execute(uri: "/papers/0704.0001", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("<h1 id=\"paper-title\">\(htmlEscape(paper.title))</h1>"))
                let author = try #require(paper.authors.first)
                #expect(html.contains(htmlEscape(PageModels.link("/search", [("author", author.name)]))))
                #expect(html.contains(#"href="https://arxiv.org/abs/0704.0001""#))
                #expect(html.contains(#"href="https://arxiv.org/pdf/0704.0001""#))
                #expect(html.contains(htmlEscape(BibTeX.entry(for: paper))))
                #expect(html.contains(#"href="/?cat=hep-ph""#))
                #expect(html.contains("Similar papers"))
                #expect(response.headers[.contentSecurityPolicy] == PageController.contentSecurityPolicy)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            try await client.execute(uri: "/papers/9999.99999", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/papers/not-a-paper", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    /// Old arXiv ids hold a `/` and title/DOI ids a `:`; both route, escaped or not.
    @Test func idsWithSlashesAndColonsRoute() async throws {
        let fixture = try await ServerFixture.fresh()
        let atom = Fixtures.shared("fixtures/arxiv-api/xml/recorded_id_astro-ph_0601001_s0_m100_3150dca9dc76.xml")
        _ = try await FileImporter(store: fixture.store).importFile(atom)
        let old = try #require(try await fixture.catalog.paper(PaperID("astro-ph/0601001")!)).paper
        let all = try await fixture.store.papers(matching: PaperQuery(limit: 5_000))
        let other = try #require(all.first { $0.id.kind != .arxiv })
        try await fixture.test { client in
            for uri in ["/papers/astro-ph/0601001", "/papers/astro-ph%2F0601001"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains(htmlEscape(old.title)))
                }
            }
            for uri in [PageModels.paperPath(other.id),
                        "/papers/" + (other.id.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains(htmlEscape(other.title)))
                }
            }
        }
    }

    // MARK: Upvote

    @Test func formUpvoteCountsOncePerVoter() async throws {
        let fixture = try await ServerFixture.fresh()
        let before = try #require(try await fixture.catalog.paper(PaperID("0704.0001")!)).upvotes
        try await fixture.test { client in
            // The paper's page hands the visitor the CSRF cookie and the form its token.
            var browser = TestBrowser()
            try await browser.get("/papers/0704.0001", client)
            let first = try await browser.post("/papers/0704.0001/upvote", client)
            #expect(first.status == .seeOther)
            #expect(first.headers[.location] == "/papers/0704.0001#upvote")
            let setCookie = try #require(first.headers[.setCookie])
            #expect(setCookie.hasPrefix("paperboy_voter="))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Secure"))
            let second = try await browser.post("/papers/0704.0001/upvote", client)
            #expect(second.status == .seeOther)
            #expect(second.headers[.setCookie] == nil)
            let page = try await browser.get("/papers/0704.0001", client)
            #expect(page.text.contains("<span data-upvote-count>\(before + 1)</span>"))
        }
    }

    @Test func scriptUpvoteAnswersJSONAndCrossSitePostsAreRefused() async throws {
        let fixture = try await ServerFixture.fresh()
        let before = try #require(try await fixture.catalog.paper(PaperID("0704.0002")!)).upvotes
        try await fixture.test { client in
            var browser = TestBrowser()
            try await browser.get("/papers/0704.0002", client)
            let csrfCookie = "paperboy_csrf=" + (try #require(browser.cookies["paperboy_csrf"]))
            let token = try #require(browser.csrf)
            /// The script's request: JSON wanted, the page's token in a header.
            func scripted(_ fields: HTTPFields, voter: String?) -> HTTPFields {
                var headers = fields
                headers[.accept] = "application/json"
                headers[HTTPField.Name("X-CSRF-Token")!] = token
                headers[.cookie] = [csrfCookie, voter.map { "paperboy_voter=\($0)" }].compactMap { $0 }.joined(separator: "; ")
                return headers
            }
            try await client.execute(uri: "/papers/0704.0002/upvote", method: .post,
                                     headers: scripted([.origin: "http://localhost"], voter: "reader-one")) { response in
                #expect(response.status == .ok)
                #expect(response.text == "{\"upvotes\":\(before + 1)}")
            }
            // Another site's page, even holding a valid token, is refused by its Origin.
            try await client.execute(uri: "/papers/0704.0002/upvote", method: .post,
                                     headers: scripted([.origin: "https://evil.example"], voter: "reader-two")) { response in
                #expect(response.status == .forbidden)
            }
            var behindProxy = HTTPFields()
            behindProxy[.origin] = "https://papers.example.org"
            if let name = HTTPField.Name("X-Forwarded-Host") { behindProxy[name] = "papers.example.org" }
            try await client.execute(uri: "/papers/0704.0002/upvote", method: .post,
                                     headers: scripted(behindProxy, voter: "reader-one")) { response in
                #expect(response.text == "{\"upvotes\":\(before + 1)}")
            }
            var proxied = HTTPFields()
            if let name = HTTPField.Name("X-Forwarded-Proto") { proxied[name] = "https" }
            try await client.execute(uri: "/papers/0704.0002/upvote", method: .post,
                                     headers: scripted(proxied, voter: nil)) { response in
                #expect(response.headers[.setCookie]?.contains("; Secure") == true)
            }
            try await client.execute(uri: "/papers/9999.99999/upvote", method: .post,
                                     headers: scripted([:], voter: nil)) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    // MARK: Escaping

    /// A hostile paper on top of the real ones is shown as text on every page that lists it.
    @Test func hostileTextIsEscapedOnEveryPage() async throws {
        let fixture = try await ServerFixture.fresh()
        let day = try #require(try await fixture.catalog.latestWindow(span: .day))
        let id = PaperID("2606.99999")!
        let hostile = Paper(id: id, title: "<script>alert(1)</script> quantum",
                            abstract: "<img src=x onerror=alert(2)> quantum <script>alert(3)</script>",
                            authors: [Author(name: "<script>alert(4)</script>")], categories: ["cs.LG"],
                            published: day.start.addingTimeInterval(3_600), upvotes: 10_000, sources: [.arxivAPI])
        _ = try await fixture.store.upsert([hostile])
        let index = try await KeywordIndex.build(from: fixture.store)
        fixture.catalog.replaceEngine(SearchEngine(store: fixture.store, keywordIndex: index))
        try await fixture.test { client in
            for uri in ["/", "/trending", "/search?q=alert", "/papers/2606.99999"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri)")
                    let html = response.text
                    #expect(html.contains("&lt;script&gt;alert(1)"), "\(uri)")
                    #expect(!html.contains("<script>alert"), "\(uri)")
                    #expect(!html.contains("<img src=x"), "\(uri)")
                    #expect(response.headers[.contentSecurityPolicy] == PageController.contentSecurityPolicy)
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                }
            }
        }
    }
}
