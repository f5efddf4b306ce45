import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

private func parse(_ bytes: [UInt8], chunkSize: Int = LineReader.defaultChunkSize, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws -> [ParsedRecord] {
    var parser = HFPagesParser(source: DataByteSource(bytes), file: "page.txt", chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    var records: [ParsedRecord] = []
    while let record = try parser.next() { records.append(record) }
    return records
}

private func parse(_ text: String) throws -> [ParsedRecord] { try parse(Array(text.utf8)) }

private func firstPage() throws -> String {
    try String(contentsOf: try #require(try Fixtures.hfPages.first), encoding: .utf8)
}

@Test func fivePagesHold405EntriesOf335DistinctPapers() throws {
    var found: [Paper] = []
    var rejected: [Rejection] = []
    let pages = try Fixtures.hfPages
    #expect(pages.count == 5)
    for url in pages {
        var parser = try HFPagesParser(url: url)
        while let record = try parser.next() {
            switch record {
            case .paper(let paper): found.append(paper)
            case .rejected(let rejection): rejected.append(rejection)
            }
        }
    }
    #expect(rejected.isEmpty)
    #expect(found.count == 405)
    #expect(Set(found.map(\.id)).count == 335)
    #expect(found.allSatisfy { $0.id.kind == .title && $0.sources == [.hfPage] && !$0.abstract.isEmpty })
    #expect(found.allSatisfy { PaperID(title: $0.title) == $0.id })
    #expect(!found.contains { HFPageHeader.fixedLines.contains($0.title) || $0.title == "Mar 13" })
}

@Test func firstEntryOfARealPageIsTitleThenAbstract() throws {
    let records = try parse(try firstPage())
    #expect(records.count == 84)
    let paper = try #require(papers(records).first)
    #expect(paper.title == "EAGAN: Efficient Two-stage Evolutionary Architecture Search for GANs")
    #expect(paper.abstract.hasPrefix("Generative adversarial networks (GANs) have proven successful in image generation tasks."))
    #expect(paper.abstract.hasSuffix("Source code: https://github.com/marsggbo/EAGAN."))
    #expect(paper.id == PaperID(title: "EAGAN: Efficient Two-stage Evolutionary Architecture Search for GANs"))
    #expect(paper.authors.isEmpty && paper.published == nil)
}

@Test func titleWithoutAbstractAtTheEndIsRejectedWithItsLine() throws {
    let page = try firstPage()
    let lineCount = page.split(separator: "\n", omittingEmptySubsequences: false).count
    let records = try parse(page + "\nA Dangling Title With No Abstract\n")
    #expect(papers(records).count == 84)
    let rejection = try #require(rejections(records).first)
    #expect(rejections(records).count == 1)
    #expect(rejection.line == lineCount + 1)
    #expect(rejection.reason == "title \"A Dangling Title With No Abstract\" has no abstract after it (the file ends)")
    #expect(rejection.description.hasPrefix("page.txt:\(lineCount + 1): title"))
}

@Test func pagesReadTheSameWithCRLFEndingsAndOneByteChunks() throws {
    let page = try firstPage()
    let expected = try parse(page)
    #expect(try parse(page.replacingOccurrences(of: "\n", with: "\r\n")) == expected)
    #expect(try parse(Array(page.utf8), chunkSize: 1) == expected)
}

@Test func unreadableTitleSpoilsOnlyItsOwnEntry() throws {
    var bytes = Array("First title\n\nFirst abstract.\n\n".utf8)
    bytes += [0x42, 0x61, 0x64, 0xC3, 0x28] + Array("\n\nIts abstract.\n\n".utf8)  // "Bad\xC3(" is not UTF-8
    bytes += Array("Third title\n\n".utf8) + Array(String(repeating: "y", count: 300).utf8) + [0x0A, 0x0A]
    bytes += Array("Last title\n\nLast abstract.\n".utf8)
    let records = try parse(bytes, maxLineBytes: 200)
    #expect(papers(records).map(\.title) == ["First title", "Last title"])
    #expect(papers(records).map(\.abstract) == ["First abstract.", "Last abstract."])
    #expect(rejections(records).map(\.line) == [5, 9])
    #expect(rejections(records).map(\.reason) == [
        "the title line is not valid UTF-8",
        "the abstract on line 11 is 300 bytes, more than the limit of 200",
    ])
}

@Test func pageWithoutHeaderStillReadsItsEntries() throws {
    let records = try parse("Mar 14 is not a header here\n\nbut this is its abstract\n")
    #expect(papers(records).map(\.title) == ["Mar 14 is not a header here"])
    let headerOnly = try parse("new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 13\n")
    #expect(headerOnly.isEmpty)
}
