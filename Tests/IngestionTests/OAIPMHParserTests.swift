import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

private let folder = "fixtures/arxiv-oai-pmh/"
private let pages = (0..<3).map { "oai_dc_ListRecords_data_\($0).xml" }

private func parse(_ bytes: [UInt8], chunkSize: Int = XMLEventReader.defaultChunkSize) throws -> (OAIPMHParser, [ParsedRecord]) {
    var parser = OAIPMHParser(source: DataByteSource(bytes), file: "page.xml", chunkSize: chunkSize)
    let records = try XMLTestSupport.drain(&parser)
    return (parser, records)
}

private func parse(fixture name: String) throws -> (OAIPMHParser, [ParsedRecord]) {
    var parser = try OAIPMHParser(url: Fixtures.shared(folder + name))
    let records = try XMLTestSupport.drain(&parser)
    return (parser, records)
}

private func date(_ text: String) -> Date? { XMLDateTime.parse(text) }

/// What one real harvest page yields; the pages are parsed once for every test that reads them.
private struct HarvestPage: Sendable {
    var records: [ParsedRecord]
    var resumptionToken: OAIPMHParser.ResumptionToken?
    var deletedRecords: Int
    var oaiError: OAIPMHParser.OAIError?
}

private let harvest: Result<[HarvestPage], any Error> = Result {
    try pages.map { page in
        let (parser, records) = try parse(fixture: page)
        return HarvestPage(records: records, resumptionToken: parser.resumptionToken,
                           deletedRecords: parser.deletedRecords, oaiError: parser.oaiError)
    }
}

/// A ListRecords response holding `records`, as arXiv's endpoint frames them.
private func listRecords(_ records: String, token: String = "") -> [UInt8] {
    Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
        <responseDate>2023-03-07T18:54:05Z</responseDate>
        <request verb="ListRecords" metadataPrefix="arXiv">http://export.arxiv.org/oai2</request>
        <ListRecords>
        \(records)
        \(token)
        </ListRecords>
        </OAI-PMH>
        """.utf8)
}

// No real `arXiv` or `arXivRaw` response is stored in ../shared (see its PROVENANCE.md), so
// these two records are written by hand after arXiv's published schemas
// (http://arxiv.org/OAI/arXiv.xsd and http://arxiv.org/OAI/arXivRaw.xsd), with the real
// metadata of 0704.0001 and 0704.0002 from the Kaggle snapshot fixture. The affiliation and
// the suffix are added to exercise those elements.
private let arxivRecord = """
    <record><header><identifier>oai:arXiv.org:0704.0001</identifier><datestamp>2008-11-13</datestamp>
    <setSpec>physics:hep-ph</setSpec></header><metadata>
    <arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
    xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
    <id>0704.0001</id><created>2007-04-02</created><updated>2007-07-24</updated>
    <authors><author><keyname>Balázs</keyname><forenames>C.</forenames></author>
    <author><keyname>Berger</keyname><forenames>E. L.</forenames><affiliation>Argonne</affiliation></author>
    <author><keyname>Nadolsky</keyname><forenames>P. M.</forenames></author>
    <author><keyname>Yuan</keyname><forenames>C. -P.</forenames><suffix>Jr</suffix></author></authors>
    <title>Calculation of prompt diphoton production cross sections at Tevatron and
      LHC energies</title>
    <categories>hep-ph</categories><comments>37 pages, 15 figures; published version</comments>
    <report-no>ANL-HEP-PR-07-12</report-no><journal-ref>Phys.Rev.D76:013009,2007</journal-ref>
    <doi>10.1103/PhysRevD.76.013009</doi><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license>
    <abstract>  A fully differential calculation in perturbative quantum chromodynamics is
    presented for the production of massive photon pairs at hadron colliders.</abstract>
    </arXiv></metadata></record>
    """

private let arxivRawRecord = """
    <record><header><identifier>oai:arXiv.org:0704.0002</identifier><datestamp>2008-12-13</datestamp>
    <setSpec>cs</setSpec><setSpec>math</setSpec></header><metadata>
    <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
    xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
    <id>0704.0002</id><submitter>Louis Theran</submitter>
    <version version="v1"><date>Sat, 31 Mar 2007 02:26:18 GMT</date><size>10kb</size><source_type>D</source_type></version>
    <version version="v2"><date>Sat, 13 Dec 2008 17:26:00 GMT</date><size>10kb</size><source_type>D</source_type></version>
    <title>Sparsity-certifying Graph Decompositions</title>
    <authors>Ileana Streinu and Louis Theran</authors>
    <categories>math.CO cs.CG</categories><comments>To appear in Graphs and Combinatorics</comments>
    <license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license>
    <abstract>  We describe a new algorithm, the $(k,\\ell)$-pebble game with colors.</abstract>
    </arXivRaw></metadata></record>
    """

/// Written after the OAI-PMH 2.0 specification (section 2.5.1, deleted records).
private let deletedRecord = """
    <record><header status="deleted"><identifier>oai:arXiv.org:0704.0003</identifier>
    <datestamp>2023-03-07</datestamp><setSpec>physics:astro-ph</setSpec></header></record>
    """

@Test(arguments: [(0, 1000), (1, 1000), (2, 265)])
func everyHarvestPageYieldsItsRecords(page: Int, expected: Int) throws {
    let result = try harvest.get()[page]
    #expect(XMLTestSupport.papers(result.records).count == expected)
    #expect(XMLTestSupport.rejections(result.records).isEmpty)
    #expect(result.deletedRecords == 0)
    #expect(result.oaiError == nil)
}

@Test func theThreePagesHold2265DistinctArxivPapers() throws {
    let papers = try harvest.get().flatMap { XMLTestSupport.papers($0.records) }
    #expect(papers.count == 2265)
    #expect(Set(papers.map(\.id)).count == 2265)
    #expect(papers.allSatisfy { $0.id.kind == .arxiv && $0.sources == [.oaiDublinCore] })
    #expect(papers.allSatisfy { !$0.categories.isEmpty && $0.categories.allSatisfy(ArxivTaxonomy.isKnown) })
    #expect(papers.allSatisfy { $0.published != nil && $0.version != nil && !$0.authors.isEmpty && !$0.abstract.isEmpty })
}

@Test func resumptionTokensChainThePagesAndAnEmptyOneEndsTheList() throws {
    let tokens = try harvest.get().map(\.resumptionToken)
    #expect(tokens == [
        OAIPMHParser.ResumptionToken(value: "6511260|1001", cursor: 0, completeListSize: 2265),
        OAIPMHParser.ResumptionToken(value: "6511260|2001", cursor: 1000, completeListSize: 2265),
        OAIPMHParser.ResumptionToken(value: nil, cursor: 2000, completeListSize: 2265),
    ])
    #expect(tokens.last??.isEndOfList == true)
    #expect(try parse(fixture: "oai_dc_GetRecord_data.xml").0.resumptionToken == nil)
}

/// A page cut short by the network (here mid-record, then mid-list) is not complete, so a
/// harvester fetches it again; the whole page is, and says when it was answered.
@Test func aPageCutShortIsNotComplete() throws {
    let bytes = try [UInt8](Data(contentsOf: Fixtures.shared(folder + pages[2])))
    let (whole, _) = try parse(bytes)
    #expect(whole.isComplete)
    #expect(whole.responseDate == "2023-03-07T18:56:05Z")
    for cut in [bytes.count / 2, bytes.count - 20] {
        let (parser, _) = try parse(Array(bytes[..<cut]))
        #expect(!parser.isComplete)
        #expect(parser.responseDate == "2023-03-07T18:56:05Z")
    }
}

@Test func readsARealDublinCoreRecordExactly() throws {
    let (_, records) = try parse(fixture: "oai_dc_GetRecord_data.xml")
    #expect(records.count == 1)
    let paper = try #require(XMLTestSupport.papers(records).first)
    #expect(paper.id.rawValue == "2107.10460")
    #expect(paper.version == 2)
    #expect(paper.title == "Anomalous High-Field Magnetotransport in CaFeAsF due to the Quantum Hall Effect")
    #expect(paper.authors.count == 8)
    #expect(paper.authors.first?.name == "Taichi Terashima")
    #expect(paper.authors[1].name == "Hishiro T. Hirose")
    #expect(paper.authors.last?.name == "Gang Mu")
    #expect(paper.categories == ["cond-mat.supr-con", "cond-mat.mtrl-sci", "cond-mat.str-el"])
    #expect(paper.abstract.hasPrefix("CaFeAsF is an iron-based superconductor parent compound"))
    #expect(paper.abstract.contains("Dirac-electron and Schr\\\"odinger-hole cylinders"))
    #expect(paper.comments == "18 pages, 1 table, 4 figures")
    #expect(paper.published == date("2021-07-22"))
    #expect(paper.updated == date("2022-06-15"))
    #expect(paper.doi == "10.1038/s41535-022-00470-6")
    #expect(paper.journalRef == "npj Quantum Materials 7, 62 (2022)")
    #expect(paper.sources == [.oaiDublinCore])
}

@Test func readsTheFirstRecordOfTheHarvestDroppingMSCClasses() throws {
    let paper = try #require(XMLTestSupport.papers(harvest.get()[0].records).first)
    #expect(paper.id.rawValue == "0806.4410")
    #expect(paper.title == "Summing the curious series of Kempner and Irwin")
    #expect(paper.authors == [Author(name: "Robert Baillie")])
    #expect(paper.categories == ["math.CA", "math.NT"])
    #expect(paper.comments == "29 pages, 2 figures, 10 tables. Several new sections. Expanded Mathematica code, which is now in the ancillary files")
    #expect(paper.published == date("2008-06-27") && paper.updated == date("2023-03-04") && paper.version == 2)
    #expect(paper.doi == nil && paper.journalRef == nil)
    let last = try #require(XMLTestSupport.papers(harvest.get()[2].records).last)
    #expect(last.id.rawValue == "nlin/0202021")
    #expect(last.authors.map(\.name) == ["Darryl D. Holm", "Zhijun Qiao"])
    #expect(last.categories == ["nlin.SI", "nlin.PS"])
}

@Test func creatorNamesAreTurnedAround() {
    #expect(OAIRecord.displayName(fromInverted: "Hirose, Hishiro T.") == "Hishiro T. Hirose")
    #expect(OAIRecord.displayName(fromInverted: "Smith, John, Jr.") == "John Smith Jr.")
    #expect(OAIRecord.displayName(fromInverted: "BESIII Collaboration") == "BESIII Collaboration")
}

@Test func readsTheArxivFormat() throws {
    let (_, records) = try parse(listRecords(arxivRecord))
    let paper = try #require(XMLTestSupport.papers(records).first)
    #expect(paper.id.rawValue == "0704.0001")
    #expect(paper.version == nil)
    #expect(paper.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
    #expect(paper.authors == [
        Author(name: "C. Balázs"), Author(name: "E. L. Berger", affiliation: "Argonne"),
        Author(name: "P. M. Nadolsky"), Author(name: "C. -P. Yuan Jr"),
    ])
    #expect(paper.categories == ["hep-ph"])
    #expect(paper.published == date("2007-04-02") && paper.updated == date("2007-07-24"))
    #expect(paper.doi == "10.1103/physrevd.76.013009")
    #expect(paper.journalRef == "Phys.Rev.D76:013009,2007")
    #expect(paper.comments == "37 pages, 15 figures; published version")
    #expect(paper.abstract.hasPrefix("A fully differential calculation"))
    #expect(paper.sources == [.oaiArxiv])
}

@Test func readsTheArxivRawFormat() throws {
    let (_, records) = try parse(listRecords(arxivRawRecord))
    let paper = try #require(XMLTestSupport.papers(records).first)
    #expect(paper.id.rawValue == "0704.0002")
    #expect(paper.version == 2)
    #expect(paper.title == "Sparsity-certifying Graph Decompositions")
    #expect(paper.authors.map(\.name) == ["Ileana Streinu", "Louis Theran"])
    #expect(paper.categories == ["math.CO", "cs.CG"])
    #expect(paper.published == RFC1123Date.parse("Sat, 31 Mar 2007 02:26:18 GMT"))
    #expect(paper.updated == RFC1123Date.parse("Sat, 13 Dec 2008 17:26:00 GMT"))
    #expect(paper.comments == "To appear in Graphs and Combinatorics")
    #expect(paper.abstract == "We describe a new algorithm, the $(k,\\ell)$-pebble game with colors.")
    #expect(paper.sources == [.oaiArxivRaw])
}

@Test func detectsTheFormatPerRecordAndSkipsDeletedRecords() throws {
    let real = String(decoding: try XMLTestSupport.fixture(folder + "oai_dc_GetRecord_data.xml"), as: UTF8.self)
    let start = try #require(real.range(of: "<record>")), end = try #require(real.range(of: "</record>"))
    let dublinCore = String(real[start.lowerBound..<end.upperBound])
    let (parser, records) = try parse(listRecords(arxivRecord + deletedRecord + dublinCore + arxivRawRecord))
    #expect(XMLTestSupport.papers(records).map(\.sources) == [[.oaiArxiv], [.oaiDublinCore], [.oaiArxivRaw]])
    #expect(XMLTestSupport.rejections(records).isEmpty)
    #expect(parser.deletedRecords == 1)
}

@Test func aRecordInAnotherMetadataFormatIsRejectedNamingIt() throws {
    let mods = """
        <record><header><identifier>oai:arXiv.org:0704.0004</identifier><datestamp>2007-04-03</datestamp></header>
        <metadata><mods xmlns="http://www.loc.gov/mods/v3"><titleInfo><title>A determinant</title></titleInfo></mods>
        </metadata></record>
        """
    let (_, records) = try parse(listRecords(mods + arxivRecord))
    #expect(XMLTestSupport.papers(records).map(\.id.rawValue) == ["0704.0001"])
    #expect(XMLTestSupport.rejections(records).map(\.reason)
        == ["metadata format <mods> is not one Paperboy reads (oai_dc, arXiv, arXivRaw)"])
    #expect(XMLTestSupport.rejections(records).first?.line == 6)
}

/// Error responses written after the OAI-PMH 2.0 specification (section 3.6).
@Test func noRecordsMatchIsAnEmptyResultAndOtherErrorsAreRejections() throws {
    func response(_ code: String, _ message: String) -> [UInt8] {
        Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
              <responseDate>2023-03-07T18:54:05Z</responseDate>
              <request verb="ListRecords">http://export.arxiv.org/oai2</request>
              <error code="\(code)">\(message)</error>
            </OAI-PMH>
            """.utf8)
    }
    let (empty, none) = try parse(response("noRecordsMatch", "No records match the request"))
    #expect(none.isEmpty)
    #expect(empty.oaiError == OAIPMHParser.OAIError(code: "noRecordsMatch", message: "No records match the request"))
    #expect(empty.oaiError?.isEmptyResult == true)
    let (failed, records) = try parse(response("badResumptionToken", "The value of the resumptionToken argument is invalid or expired."))
    #expect(failed.oaiError?.isEmptyResult == false)
    #expect(XMLTestSupport.rejections(records).map(\.reason)
        == ["OAI-PMH error badResumptionToken: The value of the resumptionToken argument is invalid or expired."])
    #expect(XMLTestSupport.rejections(records).first?.line == 5)
}

@Test func otherRealResponsesYieldNoPapers() throws {
    let (identifiers, headers) = try parse(fixture: "oai_dc_ListIdentifiers_data.xml")
    #expect(headers.isEmpty)
    #expect(identifiers.oaiError == nil)
    let (_, unavailable) = try parse(fixture: "retry_after_503_body.html")
    #expect(XMLTestSupport.rejections(unavailable).map(\.reason)
        == ["not an OAI-PMH response: the root element is <html>, expected <OAI-PMH>"])
}

@Test func aTruncatedPageKeepsEveryCompleteRecordThenSaysWhereInputEnded() throws {
    let bytes = try XMLTestSupport.fixture(folder + pages[2])
    let record = try #require(XMLTestSupport.offset(of: "<record>", occurrence: 100, in: bytes))
    let cut = try #require(XMLTestSupport.offset(of: "<dc:description>", occurrence: 0, in: Array(bytes[record...]))) + record + 300
    let (parser, records) = try parse(Array(bytes[..<cut]))
    #expect(XMLTestSupport.papers(records).count == 100)
    let rejections = XMLTestSupport.rejections(records)
    #expect(rejections.count == 1)
    #expect(rejections.first?.line == XMLTestSupport.line(at: record, in: bytes))
    let endLine = XMLTestSupport.line(at: cut, in: bytes)
    #expect(rejections.first?.reason == "input ended at line \(endLine) inside <dc:description> opened at line "
        + "\(XMLTestSupport.line(at: cut - 300, in: bytes)): the document is truncated")
    #expect(parser.resumptionToken == nil)
}

@Test func aRecordWithInvalidUTF8OrAMismatchedTagIsRejectedAndItsNeighboursKept() throws {
    let bytes = try XMLTestSupport.fixture(folder + pages[2])
    let fifth = try #require(XMLTestSupport.offset(of: "<record>", occurrence: 4, in: bytes))
    let title = try #require(XMLTestSupport.offset(of: "<dc:title>", occurrence: 4, in: bytes))
    var damaged = bytes
    damaged.insert(0xFF, at: title + 14)
    let tenth = try #require(XMLTestSupport.offset(of: "</dc:title>", occurrence: 9, in: damaged))
    damaged.replaceSubrange(tenth..<(tenth + 11), with: Array("</dc:titel>".utf8))
    let (parser, records) = try parse(damaged)
    #expect(XMLTestSupport.papers(records).count == 263)
    let rejections = XMLTestSupport.rejections(records)
    #expect(rejections.map(\.line) == [XMLTestSupport.line(at: fifth, in: bytes),
                                       XMLTestSupport.line(at: try #require(XMLTestSupport.offset(of: "<record>", occurrence: 9, in: bytes)), in: bytes)])
    #expect(rejections.first?.reason == "line \(XMLTestSupport.line(at: title, in: bytes)) holds bytes that are not UTF-8")
    #expect(rejections.last?.reason.contains("end tag </dc:titel> matches no open element") == true)
    #expect(parser.resumptionToken?.cursor == 2000)
}

@Test func oneByteChunksGiveTheSameHarvestRecordsAsLargeChunks() throws {
    for bytes in [try XMLTestSupport.fixture(folder + "oai_dc_GetRecord_data.xml"), listRecords(arxivRecord + deletedRecord + arxivRawRecord)] {
        let whole = try parse(bytes)
        let chunked = try parse(bytes, chunkSize: 1)
        #expect(chunked.1 == whole.1)
        #expect(chunked.0.deletedRecords == whole.0.deletedRecords)
    }
    let page = try XMLTestSupport.fixture(folder + pages[2])
    #expect(try parse(page, chunkSize: 5).1 == harvest.get()[2].records)
}

@Test func aHarvestPageParsesQuickly() throws {
    let bytes = try XMLTestSupport.fixture(folder + pages[0])
    let clock = ContinuousClock()
    var best = Duration.seconds(1_000)
    for _ in 0..<2 {
        let elapsed = try clock.measure { _ = try parse(bytes) }
        best = min(best, elapsed)
    }
    print("OAI-PMH page of \(bytes.count) bytes parsed in \(best)")
    #expect(best < .seconds(5))
}
