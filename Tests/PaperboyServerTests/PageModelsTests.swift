import Foundation
import PaperboyCore
@testable import PaperboyServer
import Testing

struct PageModelsTests {
    @Test func htmlEscapeCoversTextAndAttributes() {
        #expect(htmlEscape(#"<a href="x">Tom & Jerry's</a>"#)
            == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(htmlEscape("$\\alpha < \\beta$") == "$\\alpha &lt; \\beta$")
    }

    @Test func paperPathsKeepSlashesAndColons() throws {
        #expect(PageModels.paperPath(try #require(PaperID("hep-th/9901001"))) == "/papers/hep-th/9901001")
        #expect(PageModels.paperPath(try #require(PaperID("doi:10.1000/xyz#1"))).hasPrefix("/papers/doi:10.1000/xyz%231"))
    }

    @Test func linksEscapeValuesAndSkipMissingOnes() {
        #expect(PageModels.link("/search", [("q", "a&b=c d"), ("cat", nil), ("page", "2")]) == "/search?q=a%26b%3Dc%20d&page=2")
        #expect(PageModels.link("/", [("cat", nil)]) == "/")
    }

    @Test func shortenedCutsAtAWord() {
        #expect(PageModels.shortened("short", to: 10) == "short")
        #expect(PageModels.shortened("one two three four", to: 10) == "one two…")
    }

    @Test func paginationOnlyWhenThereIsAnotherPage() throws {
        #expect(PageModels.pagination(page: 1, hasMore: false) { "/?page=\($0)" } == nil)
        let middle = try #require(PageModels.pagination(page: 2, hasMore: true) { "/?page=\($0)" })
        #expect(middle["previous"] as? String == "/?page=1")
        #expect(middle["next"] as? String == "/?page=3")
    }

    @Test func syntaxErrorColumnIsMarkedAndEscaped() {
        let html = PageController.markedColumn("a <b> \"c", column: 7)
        #expect(html.hasPrefix("a &lt;b&gt; <mark class=\"error-column\">&quot;</mark>c"))
        #expect(html.hasSuffix("\n<span class=\"caret\">      ^</span>"))
        #expect(PageController.markedColumn("ab", column: 3).contains("<mark class=\"error-column\"> </mark>"))
    }
}
