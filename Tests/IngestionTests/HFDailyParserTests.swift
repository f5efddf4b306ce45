import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

private let dailyFixture = "fixtures/hf-daily-papers/daily_papers_2026-06-12.json"

private func parse(_ bytes: [UInt8], chunkSize: Int = LineReader.defaultChunkSize) throws -> [ParsedRecord] {
    var parser = HFDailyParser(source: DataByteSource(bytes), file: "daily.json", chunkSize: chunkSize)
    var records: [ParsedRecord] = []
    while let record = try parser.next() { records.append(record) }
    return records
}

/// The fixture's elements re-serialized one per line, so tests can edit some and know lines.
private func fixtureElements() throws -> [String] {
    let data = try Data(contentsOf: Fixtures.shared(dailyFixture))
    let array = try #require(try JSONSerialization.jsonObject(with: data) as? [Any])
    return try array.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
}

@Test func realDailyPapersGiveThirtyPapersWithUpvotesAndCodeLinks() throws {
    var parser = try HFDailyParser(url: Fixtures.shared(dailyFixture))
    var records: [ParsedRecord] = []
    while let record = try parser.next() { records.append(record) }
    let found = papers(records)
    #expect(found.count == 30)
    #expect(rejections(records).isEmpty)
    #expect(found.map(\.upvotes) == [0, 5, 3, 2, 2, 2, 8, 2, 1, 2, 13, 2, 12, 25, 14, 10, 2, 1, 1, 2, 7, 103, 7, 6, 74, 4, 4, 118, 3, 18])
    #expect(found.filter { $0.links.code != nil }.count == 16)
    #expect(found.allSatisfy { $0.id.kind == .arxiv && $0.sources == [.hfDaily] && !$0.abstract.isEmpty && $0.published != nil })

    let first = found[0]
    #expect(first.id == PaperID("2606.00467"))
    #expect(first.title == "On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance")
    #expect(first.authors.map(\.name) == ["Etienne Casanova", "Rafal Kocielnik", "R. Michael Alvarez"])
    #expect(first.abstract.hasPrefix("Large Language Models (LLMs) are increasingly used for zero-shot annotation"))
    #expect(first.published == Date(timeIntervalSince1970: 1_780_099_200))  // 2026-05-30T00:00:00Z
    #expect(first.upvotes == 0 && first.links.code == nil)

    let second = found[1]
    #expect(second.id == PaperID("2606.12730"))
    #expect(second.upvotes == 5)
    #expect(second.links.code == "https://github.com/psychology-of-AI/Rethinking-Pyschometric-Eval-LLMs")
    #expect(second.authors.count == 8)
    let msa = try #require(found.first { $0.id == PaperID("2606.13392") })
    #expect(msa.upvotes == 103 && msa.links.code == "https://github.com/MiniMax-AI/MSA")
}

@Test func malformedElementsAreRejectedWithTheirLineAndTheRestKept() throws {
    var elements = try fixtureElements()
    elements[1] = elements[1].replacingOccurrences(of: #""upvotes":5"#, with: #""upvotes":"five""#)
    elements[2] = #"{"paper":{"title":"No id"}}"#
    elements[3] = #"{"paper":{"id":"not an id","title":"T"}}"#
    elements[4] = #"{"paper":{"id":"2606.00001","publishedAt":"soon"},"title":"Top-level title only"}"#
    elements[5] = #"{"paper":{"id":"2606.00002"}}"#
    elements[6] = "42"
    let records = try parse(Array(("[\n" + elements.joined(separator: ",\n") + "\n]\n").utf8))
    #expect(papers(records).count == 24)
    let rejected = rejections(records)
    #expect(rejected.map(\.line) == [3, 4, 5, 6, 7, 8])
    #expect(rejected.map(\.reason) == [
        "field \"paper.upvotes\" has the wrong type, expected an integer",
        "field \"paper.id\" is missing",
        "field \"paper.id\" is not an arXiv identifier: \"not an id\"",
        "field \"paper.publishedAt\" is not an ISO 8601 timestamp: \"soon\"",
        "field \"paper.title\" is missing (and so is \"title\")",
        "the element is not a JSON object",
    ])
    #expect(rejected.allSatisfy { $0.file == "daily.json" })
}

@Test func entryTitleIsTheFallbackForAMissingPaperTitle() throws {
    let records = try parse(Array(#"[{"paper":{"id":"2606.00001v2","summary":" An  abstract "},"title":"Top-level title"}]"#.utf8))
    let paper = try #require(papers(records).first)
    #expect(paper.title == "Top-level title" && paper.abstract == "An abstract")
    #expect(paper.id.rawValue == "2606.00001" && paper.version == 2)
}

@Test func truncatedFileKeepsEveryWholeElement() throws {
    let bytes = [UInt8](try Data(contentsOf: Fixtures.shared(dailyFixture)))
    let records = try parse(Array(bytes.prefix(bytes.count / 2)))
    let rejected = rejections(records)
    #expect(papers(records).count >= 14)
    #expect(rejected.count == 1)
    #expect(rejected.first?.reason.contains("truncated") == true)
}

@Test func inputThatIsNotAnArrayIsOneRejection() throws {
    let records = try parse(Array(#"{"error":"Invalid credentials"}"#.utf8))
    #expect(records.count == 1)
    #expect(rejections(records).first?.reason == "expected a JSON array ('['), found '{'")
}

@Test func dailyPapersReadTheSameInOneByteChunks() throws {
    let bytes = [UInt8](try Data(contentsOf: Fixtures.shared(dailyFixture)))
    #expect(try parse(bytes, chunkSize: 1) == parse(bytes))
}
