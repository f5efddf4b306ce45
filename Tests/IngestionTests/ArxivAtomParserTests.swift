import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

private let folder = "fixtures/arxiv-api/xml/"

private func parse(_ bytes: [UInt8], chunkSize: Int = XMLEventReader.defaultChunkSize) throws -> (ArxivAtomParser, [ParsedRecord]) {
    var parser = ArxivAtomParser(source: DataByteSource(bytes), file: "feed.xml", chunkSize: chunkSize)
    let records = try XMLTestSupport.drain(&parser)
    return (parser, records)
}

private func parse(fixture name: String) throws -> (ArxivAtomParser, [ParsedRecord]) {
    var parser = try ArxivAtomParser(url: Fixtures.shared(folder + name))
    let records = try XMLTestSupport.drain(&parser)
    return (parser, records)
}

private func date(_ text: String) -> Date? { XMLDateTime.parse(text) }

/// Entries per file, counted with `grep -c '<entry>'` (PROVENANCE.md lists the same), and
/// the rejections expected: only the HTTP 400 error feed has one.
@Test(arguments: [
    ("id_list_1111.2011v2.xml", 1, 0),
    ("recorded_id_0000.0000_s0_m100_8b51d9633a68.xml", 0, 0),
    ("recorded_id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml", 1, 0),
    ("recorded_id_2104.12255v1_s0_m100_6ae69987ffe1.xml", 1, 0),
    ("recorded_id_abc_s0_m100_b79c8dcf6bc3.xml", 0, 1),
    ("recorded_id_astro-ph_0601001_s0_m100_3150dca9dc76.xml", 1, 0),
    ("recorded_q_testing_s0_m100_cfe7536492ca.xml", 100, 0),
    ("recorded_q_testing_s0_m10_bc5a6c384fe9.xml", 10, 0),
    ("recorded_q_testing_s10_m10_34e56e15aaac.xml", 10, 0),
    ("search_all_transformer_AND_cat_cs.LG_max5_2026.xml", 5, 0),
    ("search_query_au_del_maestro.xml", 10, 0),
    ("search_query_au_del_maestro_AND_ti_checkerboard.xml", 1, 0),
])
func everyRealFeedYieldsOnePaperPerEntry(file: String, papers expectedPapers: Int, rejections expectedRejections: Int) throws {
    let (_, records) = try parse(fixture: file)
    let papers = XMLTestSupport.papers(records)
    #expect(papers.count == expectedPapers)
    #expect(XMLTestSupport.rejections(records).count == expectedRejections)
    #expect(Set(papers.map(\.id)).count == papers.count)
    for paper in papers {
        #expect(paper.id.kind == .arxiv)
        #expect(paper.version != nil && paper.published != nil && paper.updated != nil)
        #expect(!paper.authors.isEmpty && !paper.abstract.isEmpty && !paper.categories.isEmpty)
        #expect(paper.categories.allSatisfy(ArxivTaxonomy.isKnown))
        #expect(paper.sources == [.arxivAPI])
    }
}

@Test func readsAnEntryOfThe2016LayoutExactly() throws {
    let (parser, records) = try parse(fixture: "id_list_1111.2011v2.xml")
    let paper = try #require(XMLTestSupport.papers(records).first)
    #expect(paper.id.rawValue == "1111.2011")
    #expect(paper.version == 2)
    #expect(paper.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit")
    #expect(paper.abstract.hasPrefix("Theoretical description of anisotropic systems, such as layered superconductors"))
    #expect(paper.abstract.hasSuffix("similar to adding a single extra dimension to the theory describing a single node."))
    #expect(paper.authors.map(\.name) == ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"])
    #expect(paper.categories == ["cond-mat.str-el", "cond-mat.stat-mech"])
    #expect(paper.published == date("2011-11-08T18:48:36Z"))
    #expect(paper.updated == date("2012-04-02T12:38:54Z"))
    #expect(paper.doi == "10.1103/physrevb.85.115117")
    #expect(paper.journalRef == "Phys. Rev. B 85, 115117 (2012)")
    #expect(paper.comments == "8 pages, 3 figures. Published version")
    #expect(paper.links == Links(abstract: "http://arxiv.org/abs/1111.2011v2", pdf: "http://arxiv.org/pdf/1111.2011v2"))
    #expect(paper.sources == [.arxivAPI])
    #expect([parser.totalResults, parser.startIndex, parser.itemsPerPage] == [1, 0, 10])
}

@Test func readsAnEntryOfThe2026LayoutExactly() throws {
    let (parser, records) = try parse(fixture: "search_all_transformer_AND_cat_cs.LG_max5_2026.xml")
    let paper = try #require(XMLTestSupport.papers(records).first)
    #expect(paper.id.rawValue == "2606.13677")
    #expect(paper.version == 1)
    #expect(paper.title == "Mana: Dexterous Manipulation of Articulated Tools")
    #expect(paper.abstract.contains("specify functional affordances (<1 minute per tool)."))
    #expect(paper.authors.first?.name == "Zhao-Heng Yin")
    #expect(paper.authors.last?.name == "C. Karen Liu")
    #expect(paper.authors.count == 4)
    // The primary category comes after the categories in this layout; it is still first.
    #expect(paper.categories == ["cs.RO", "cs.AI", "cs.CV", "cs.LG"])
    #expect(paper.published == date("2026-06-11T17:59:49Z"))
    #expect(paper.updated == date("2026-06-11T17:59:49Z"))
    #expect(paper.doi == nil && paper.journalRef == nil)
    #expect(paper.comments == "Project Page: https://zhaohengyin.github.io/mana")
    #expect(paper.links == Links(abstract: "https://arxiv.org/abs/2606.13677v1", pdf: "https://arxiv.org/pdf/2606.13677v1"))
    #expect([parser.totalResults, parser.startIndex, parser.itemsPerPage] == [28946, 0, 5])
    let second = XMLTestSupport.papers(records)[1]
    #expect(second.categories == ["cs.AI", "cs.LG", "cs.MA"])
}

@Test func readsAffiliationsJournalRefAndAnOldStyleId() throws {
    let (_, records) = try parse(fixture: "recorded_id_astro-ph_0601001_s0_m100_3150dca9dc76.xml")
    let paper = try #require(XMLTestSupport.papers(records).first)
    #expect(paper.id.rawValue == "astro-ph/0601001")
    #expect(paper.version == 1)
    #expect(paper.authors == [
        Author(name: "Andrew Gould", affiliation: "Ohio State"),
        Author(name: "Susan Dorsher", affiliation: "Ohio State"),
        Author(name: "B. Scott Gaudi", affiliation: "CfA"),
        Author(name: "Andrzej Udalski", affiliation: "Warsaw University Observatory"),
    ])
    #expect(paper.categories == ["astro-ph"])
    #expect(paper.journalRef == "ActaAstron.56:1-50,2006")
    #expect(paper.abstract.contains("Gould & Morgan (2003)"))
}

@Test func pagingValuesOfTheSecondPageAreRead() throws {
    let (parser, _) = try parse(fixture: "recorded_q_testing_s10_m10_34e56e15aaac.xml")
    #expect([parser.totalResults, parser.startIndex, parser.itemsPerPage] == [214881, 10, 10])
    let (oldLayout, _) = try parse(fixture: "search_query_au_del_maestro.xml")
    #expect([oldLayout.totalResults, oldLayout.startIndex, oldLayout.itemsPerPage] == [31, 0, 10])
}

@Test func theErrorFeedIsARejectionCarryingTheAPIMessage() throws {
    let (parser, records) = try parse(fixture: "recorded_id_abc_s0_m100_b79c8dcf6bc3.xml")
    #expect(XMLTestSupport.papers(records).isEmpty)
    #expect(XMLTestSupport.rejections(records).map(\.reason) == ["arXiv API error: incorrect id format for abc"])
    #expect(XMLTestSupport.rejections(records).first?.line == 9)
    #expect(parser.apiError == "incorrect id format for abc")
}

@Test func theEmptyResultYieldsNothing() throws {
    let (parser, records) = try parse(fixture: "recorded_id_0000.0000_s0_m100_8b51d9633a68.xml")
    #expect(records.isEmpty)
    #expect(parser.totalResults == 0)
    #expect(parser.apiError == nil)
}

@Test func datesAreReadWithZuluAndNumericOffsets() {
    #expect(date("2016-10-09T00:00:00-04:00") == Date(timeIntervalSince1970: 1_475_985_600))
    #expect(date("2016-10-09T04:00:00Z") == Date(timeIntervalSince1970: 1_475_985_600))
    #expect(date("2016-10-09T05:30:00+01:30") == Date(timeIntervalSince1970: 1_475_985_600))
    #expect(date("2016-10-09T04:00:00.250Z") == Date(timeIntervalSince1970: 1_475_985_600))
    #expect(date("2008-06-27") == Date(timeIntervalSince1970: 1_214_524_800))
    #expect(date("2023-02-30") == nil)
    #expect(date("2016-10-09T25:00:00Z") == nil)
    #expect(date("yesterday") == nil)
}

@Test func aTruncatedFeedKeepsEveryCompleteEntryThenSaysWhereInputEnded() throws {
    let bytes = try XMLTestSupport.fixture(folder + "recorded_q_testing_s0_m10_bc5a6c384fe9.xml")
    let fourthEntry = try #require(XMLTestSupport.offset(of: "<entry>", occurrence: 3, in: bytes))
    let cut = try #require(XMLTestSupport.offset(of: "<summary>", occurrence: 3, in: bytes)) + 200
    let (_, records) = try parse(Array(bytes[..<cut]))
    #expect(XMLTestSupport.papers(records).count == 3)
    let rejections = XMLTestSupport.rejections(records)
    #expect(rejections.count == 1)
    let endLine = XMLTestSupport.line(at: cut, in: bytes)
    #expect(rejections.first?.line == XMLTestSupport.line(at: fourthEntry, in: bytes))
    #expect(rejections.first?.reason.contains("input ended at line \(endLine)") == true)
    #expect(rejections.first?.reason.contains("the document is truncated") == true)
    guard case .rejected = records.last else { Issue.record("the rejection must come last"); return }
}

@Test func anEntryWithInvalidUTF8IsRejectedNamingTheLineAndItsNeighboursAreKept() throws {
    var bytes = try XMLTestSupport.fixture(folder + "recorded_q_testing_s0_m10_bc5a6c384fe9.xml")
    let title = try #require(XMLTestSupport.offset(of: "<title>Towards Explainable", in: bytes))
    bytes.insert(0xFF, at: title + 15)
    let (_, records) = try parse(bytes)
    let papers = XMLTestSupport.papers(records)
    #expect(papers.count == 9)
    #expect(!papers.map(\.id.rawValue).contains("2405.13786"))
    #expect(papers.first?.id.rawValue == "2202.12139")
    let rejection = try #require(XMLTestSupport.rejections(records).first)
    #expect(rejection.line == 35)
    #expect(rejection.reason == "line 37 holds bytes that are not UTF-8")
    #expect(rejection.description == "feed.xml:35: line 37 holds bytes that are not UTF-8")
}

@Test func anEntryWithAMismatchedTagIsRejectedAndReadingResumes() throws {
    let bytes = try XMLTestSupport.fixture(folder + "recorded_q_testing_s0_m10_bc5a6c384fe9.xml")
    var text = String(decoding: bytes, as: UTF8.self)
    let range = try #require(text.range(of: "Prioritisation with Learning-to-Rank Models</title>"))
    text.replaceSubrange(range, with: "Prioritisation with Learning-to-Rank Models</titel>")
    let (_, records) = try parse(Array(text.utf8))
    #expect(XMLTestSupport.papers(records).count == 9)
    let rejection = try #require(XMLTestSupport.rejections(records).first)
    #expect(XMLTestSupport.rejections(records).count == 1)
    #expect(rejection.line == 35)
    #expect(rejection.reason.hasPrefix("malformed XML at line 37: end tag </titel> matches no open element"))
}

@Test func anEntryFallsBackToItsDOIThenItsTitleAndWithoutATitleIsRejected() throws {
    let bytes = try XMLTestSupport.fixture(folder + "id_list_1111.2011v2.xml")
    let original = String(decoding: bytes, as: UTF8.self)
    let withoutID = original.replacingOccurrences(of: "<id>http://arxiv.org/abs/1111.2011v2</id>", with: "<id>nonsense</id>")
    #expect(try XMLTestSupport.papers(parse(Array(withoutID.utf8)).1).first?.id.rawValue == "doi:10.1103/physrevb.85.115117")
    let withoutDOI = withoutID.replacingOccurrences(of: "10.1103/PhysRevB.85.115117</arxiv:doi>", with: "</arxiv:doi>")
    #expect(try XMLTestSupport.papers(parse(Array(withoutDOI.utf8)).1).first?.id.kind == .title)
    let withoutTitle = original.replacingOccurrences(of: "<title>Quantum", with: "<subtitle>Quantum")
        .replacingOccurrences(of: "Limit</title>", with: "Limit</subtitle>")
    let rejections = try XMLTestSupport.rejections(parse(Array(withoutTitle.utf8)).1)
    #expect(rejections.map(\.reason) == ["field \"title\" is missing"])
    #expect(rejections.first?.line == 10)
}

@Test func aDocumentThatIsNotAFeedIsRejectedOnce() throws {
    let (_, records) = try parse(XMLTestSupport.fixture("fixtures/arxiv-oai-pmh/retry_after_503_body.html"))
    #expect(XMLTestSupport.rejections(records).map(\.reason) == ["not an Atom feed: the root element is <html>, expected <feed>"])
    let (_, empty) = try parse([])
    #expect(XMLTestSupport.rejections(empty).map(\.reason) == ["no XML element found: the document is empty or not XML"])
}

@Test func oneByteChunksGiveTheSameEntriesAsLargeChunks() throws {
    for name in ["recorded_q_testing_s0_m10_bc5a6c384fe9.xml", "search_query_au_del_maestro.xml"] {
        let bytes = try XMLTestSupport.fixture(folder + name)
        let whole = try parse(bytes).1
        #expect(try parse(bytes, chunkSize: 1).1 == whole)
        #expect(try parse(bytes, chunkSize: 3).1 == whole)
    }
}

@Test func anUnclosedEntryIsRejectedOnceAndTheEntriesAfterItAreKept() throws {
    let bytes = try XMLTestSupport.fixture(folder + "recorded_q_testing_s0_m10_bc5a6c384fe9.xml")
    let third = try #require(XMLTestSupport.offset(of: "<entry>", occurrence: 2, in: bytes))
    let close = try #require(XMLTestSupport.offset(of: "</entry>", occurrence: 2, in: bytes))
    var damaged = bytes
    damaged.removeSubrange(close..<(close + 8))
    let (_, records) = try parse(damaged)
    #expect(XMLTestSupport.papers(records).count == 9)
    let rejections = XMLTestSupport.rejections(records)
    #expect(rejections.map(\.line) == [XMLTestSupport.line(at: third, in: bytes)])
    #expect(rejections.first?.reason == "the <entry> is not closed before the next one at line 95")
}
