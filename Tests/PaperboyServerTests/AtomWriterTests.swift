import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PaperboyCore
import Testing
@testable import PaperboyServer

/// `XMLWriter` and `AtomFeed`: markup only where the writer puts it.
struct AtomWriterTests {
    @Test func textAndAttributesAreEscapedAndForbiddenCharactersDropped() {
        var writer = XMLWriter()
        writer.start("feed", ["xmlns": "http://www.w3.org/2005/Atom"])
        writer.element("title", "<script>alert('x')</script> & \"co\"\u{0}\u{1B}")
        writer.element("link", nil, ["href": "https://example.org/?a=1&b=\"2\""])
        let xml = writer.finish()
        #expect(xml.contains("<title>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;co&quot;</title>"))
        #expect(xml.contains(#"<link href="https://example.org/?a=1&amp;b=&quot;2&quot;"/>"#))
        #expect(xml.hasSuffix("</feed>\n"))
        #expect(!xml.contains("\u{0}") && !xml.contains("\u{1B}"))
    }

    @Test func parsesAsXMLWithTheEntryFieldsOfArxiv() throws {
        let paper = Paper(id: try #require(PaperID("0704.0001")), title: "A < B & C", abstract: "Text",
                          authors: [Author(name: "C. Balázs")], categories: ["hep-ph", "hep-ex"],
                          published: Date(timeIntervalSince1970: 1_175_000_000), doi: "10.1103/PhysRevD.76.013009",
                          journalRef: "Phys.Rev.D76:013009,2007", comments: "37 pages", sources: [.arxivAPI])
        let feed = AtomFeed(id: "urn:x", title: "Feed", updated: Date(timeIntervalSince1970: 0), selfLink: "http://h/f",
                            totalResults: 1, startIndex: 0, itemsPerPage: 10,
                            entries: [AtomEntry(paper: paper, fallbackDate: Date())])
        let xml = feed.xml()
        let document = try XMLDocument(data: Data(xml.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "feed")
        let entry = try #require(root.elements(forName: "entry").first)
        #expect(entry.elements(forName: "title").first?.stringValue == "A < B & C")
        #expect(xml.contains("<opensearch:totalResults>1</opensearch:totalResults>"))
        #expect(xml.contains(#"<arxiv:primary_category term="hep-ph" scheme="http://arxiv.org/schemas/atom"/>"#))
        #expect(xml.contains(#"<link href="https://arxiv.org/pdf/0704.0001" rel="related" type="application/pdf" title="pdf"/>"#))
        #expect(xml.contains("<arxiv:journal_ref>Phys.Rev.D76:013009,2007</arxiv:journal_ref>"))
        #expect(xml.contains("<updated>1970-01-01T00:00:00Z</updated>"))
    }
}
