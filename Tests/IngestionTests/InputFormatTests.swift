import Foundation
import PaperboyTesting
import Testing

@testable import Ingestion

/// The first bytes of a file, as the importer reads them before choosing a parser.
private func head(_ url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url).prefix(InputFormat.detectionPrefixBytes))
}

@Test func everyRealArxivAPIFeedIsDetectedAsAtom() throws {
    let feeds = try Fixtures.sharedFiles(in: "fixtures/arxiv-api/xml", suffix: ".xml")
    #expect(feeds.count == 12)
    for feed in feeds {
        #expect(InputFormat.detect(prefix: try head(feed)) == .arxivAtom, "\(feed.lastPathComponent)")
    }
}

@Test func everyRealOAIPMHResponseIsDetectedAsOAIPMH() throws {
    let pages = try Fixtures.sharedFiles(in: "fixtures/arxiv-oai-pmh", suffix: ".xml")
    #expect(pages.map(\.lastPathComponent).contains("oai_dc_GetRecord_data.xml"))
    #expect(pages.filter { $0.lastPathComponent.contains("ListRecords") }.count == 3)
    for page in pages {
        #expect(InputFormat.detect(prefix: try head(page)) == .oaiPMH, "\(page.lastPathComponent)")
    }
}

@Test func realSnapshotDailyPapersAndPagesAreDetected() throws {
    let snapshot = Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")
    #expect(InputFormat.detect(prefix: try head(snapshot)) == .arxivSnapshot)
    let daily = Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json")
    #expect(InputFormat.detect(prefix: try head(daily)) == .hfDaily)
    let pages = try Fixtures.hfPages
    #expect(pages.count == 5)
    for page in pages {
        #expect(InputFormat.detect(prefix: try head(page)) == .hfPages, "\(page.lastPathComponent)")
    }
}

@Test func byteOrderMarkLeadingWhitespaceAndCRLFAreSkipped() throws {
    let snapshotLine = Array(#"{"id":"0704.0001"}"#.utf8)
    #expect(InputFormat.detect(prefix: [0xEF, 0xBB, 0xBF] + Array(" \r\n\t".utf8) + snapshotLine) == .arxivSnapshot)
    let page = try String(contentsOf: try #require(try Fixtures.hfPages.first), encoding: .utf8)
    #expect(InputFormat.detect(prefix: [0xEF, 0xBB, 0xBF] + Array(("\n" + page).replacingOccurrences(of: "\n", with: "\r\n").utf8)) == .hfPages)
    let prefixedAtom = #"<?xml version="1.0"?><!-- saved by hand --><atom:feed xmlns:atom="http://www.w3.org/2005/Atom">"#
    #expect(InputFormat.detect(prefix: Array(prefixedAtom.utf8)) == .arxivAtom)
}

@Test func unknownTextBinaryAndEmptyInputsAreRefused() throws {
    #expect(InputFormat.detect(prefix: Array("Title: some notes\nwritten by hand, not a known format\n".utf8)) == nil)
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        + (0..<4_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    #expect(InputFormat.detect(prefix: png) == nil)
    #expect(InputFormat.detect(prefix: []) == nil)
    #expect(InputFormat.detect(prefix: Array(" \n\t\r\n".utf8)) == nil)
    #expect(InputFormat.detect(prefix: [0xEF, 0xBB, 0xBF]) == nil)
    let html = Fixtures.shared("fixtures/arxiv-oai-pmh/retry_after_503_body.html")
    #expect(InputFormat.detect(prefix: try head(html)) == nil)
    #expect(InputFormat.detect(prefix: Array("new\n\nGet trending papers in your email inbox!\n".utf8)) == nil)
}

@Test func formatsHaveStableNamesAndOneLineSummaries() {
    #expect(InputFormat.allCases.map(\.rawValue) == ["hf-pages", "arxiv-atom", "oai-pmh", "arxiv-snapshot", "hf-daily"])
    #expect(InputFormat.allCases.allSatisfy { !$0.summary.isEmpty && !$0.summary.contains("\n") })
    #expect(InputFormat(rawValue: "arxiv-snapshot") == .arxivSnapshot)
}

@Test func unknownFormatMessageNamesTheFileAndEveryFormat() {
    let message = InputFormat.unknownFormatMessage(file: "/data/notes.txt")
    #expect(message.hasPrefix("/data/notes.txt: "))
    for format in InputFormat.allCases {
        #expect(message.contains(format.rawValue) && message.contains(format.summary))
    }
}
