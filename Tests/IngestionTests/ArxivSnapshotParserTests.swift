import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

private let snapshotFixture = "fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"

private func fixtureLines() throws -> [String] {
    try String(contentsOf: Fixtures.shared(snapshotFixture), encoding: .utf8).split(separator: "\n").map(String.init)
}

private func parse(_ bytes: [UInt8], chunkSize: Int = LineReader.defaultChunkSize, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws -> [ParsedRecord] {
    var parser = ArxivSnapshotParser(source: DataByteSource(bytes), file: "snapshot.jsonl", chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    var records: [ParsedRecord] = []
    while let record = try parser.next() { records.append(record) }
    return records
}

private func parse(_ text: String) throws -> [ParsedRecord] { try parse(Array(text.utf8)) }

private func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Date? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
}

@Test func realSnapshotGivesTwoHundredPapers() throws {
    var parser = try ArxivSnapshotParser(url: Fixtures.shared(snapshotFixture))
    var records: [ParsedRecord] = []
    while let record = try parser.next() { records.append(record) }
    let found = papers(records)
    #expect(found.count == 200)
    #expect(rejections(records).isEmpty)
    #expect(found.map(\.id.rawValue) == (1...200).map { String(format: "0704.%04d", $0) })
    #expect(found.allSatisfy { $0.sources == [.arxivSnapshot] && !$0.abstract.isEmpty && !$0.authors.isEmpty })
    #expect(found.allSatisfy { $0.version != nil && $0.published != nil && $0.updated != nil && !$0.categories.isEmpty })
}

@Test func firstRealPaperHasEveryFieldExactly() throws {
    let paper = try #require(papers(try parse(fixtureLines()[0])).first)
    #expect(paper.id == PaperID("0704.0001"))
    #expect(paper.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
    #expect(paper.abstract.hasPrefix("A fully differential calculation in perturbative quantum chromodynamics is presented"))
    #expect(paper.abstract.hasSuffix("can be obtained with judicious selection of events."))
    #expect(paper.authors.map(\.name) == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"])
    #expect(paper.categories == ["hep-ph"])
    #expect(paper.version == 2)
    #expect(paper.published == utc(2007, 4, 2, 19, 18, 42))
    #expect(paper.updated == utc(2007, 7, 24, 20, 10, 27))
    #expect(paper.doi == "10.1103/physrevd.76.013009")
    #expect(paper.journalRef == "Phys.Rev.D76:013009,2007")
    #expect(paper.comments == "37 pages, 15 figures; published version")
    #expect(paper.sources == [.arxivSnapshot])
}

@Test func suffixesAffiliationsAndCrossListsAreKept() throws {
    let found = papers(try parse(fixtureLines().joined(separator: "\n")))
    let evans = try #require(found.first { $0.id == PaperID("0704.0009") })
    #expect(evans.authors.map(\.name).contains("Neal J. Evans II"))
    let oxford = try #require(found.first { $0.id == PaperID("0704.0044") })
    #expect(oxford.authors.first == Author(name: "A. A. Schekochihin", affiliation: "Oxford"))
    let graphs = try #require(found.first { $0.id == PaperID("0704.0002") })
    #expect(graphs.categories == ["math.CO", "cs.CG"])
    #expect(graphs.doi == nil && graphs.journalRef == nil)
}

/// The fast path must give what Foundation's decoder and `Paper.init` give, field for field.
@Test func everyLineMatchesFoundationDecodingThroughPaperInit() throws {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss zzz"
    for (index, line) in try fixtureLines().enumerated() {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let versions = (object["versions"] as? [[String: String]] ?? []).map {
            (Int($0["version", default: ""].dropFirst()) ?? 0, formatter.date(from: $0["created", default: ""]))
        }
        let authors = (object["authors_parsed"] as? [[String]] ?? []).map { parts in
            Author(name: [parts[1], parts[0], parts[2]].filter { !$0.isEmpty }.joined(separator: " "),
                   affiliation: parts.count > 3 ? parts[3] : nil)
        }
        let expected = Paper(
            id: try #require(PaperID(object["id"] as? String ?? "")), title: object["title"] as? String ?? "",
            abstract: object["abstract"] as? String ?? "", authors: authors,
            categories: (object["categories"] as? String ?? "").split(separator: " ").map(String.init),
            published: versions.min { $0.0 < $1.0 }?.1, updated: versions.compactMap(\.1).max(),
            version: versions.map(\.0).max(), doi: object["doi"] as? String, journalRef: object["journal-ref"] as? String,
            comments: object["comments"] as? String, sources: [.arxivSnapshot])
        #expect(papers(try parse(line)) == [expected], "line \(index + 1)")
    }
}

@Test func whitespaceIsCollapsedExactlyAsPaperInitDoes() throws {
    // Escaped and raw whitespace of every kind, control characters, a surrogate pair and a lone one.
    let title = #"  Tabs\tand\r\nbreaks \u00a0NBSP\u2003em\u3000ideographic  raw\#u{00A0}nbsp\#u{2028}sep \u0001ctl 𝐀\ud835\udc00 \ud800 lone \"q\" \/ end\n "#
    let records = try parse(#"{"id":"0704.0001","title":"\#(title)","abstract":" \t "}"#)
    let paper = try #require(papers(records).first)
    let decoded = try #require(try JSONSerialization.jsonObject(with: Data(#""\#(title.replacingOccurrences(of: #"\ud800"#, with: ""))""#.utf8), options: .fragmentsAllowed) as? String)
    #expect(paper.title == decoded.collapsingWhitespace.replacingOccurrences(of: "𝐀𝐀 lone", with: "𝐀𝐀 \u{FFFD} lone"))
    #expect(paper.title.hasPrefix("Tabs and breaks NBSP em ideographic raw nbsp sep ctl 𝐀𝐀 \u{FFFD} lone \"q\" / end"))
    #expect(paper.abstract.isEmpty)
}

/// Thousands of generated titles mixing the characters the word-at-a-time decoder treats
/// specially, at every alignment, must collapse exactly as `String.collapsingWhitespace` does.
@Test func generatedTitlesCollapseExactlyAsPaperInitDoes() throws {
    let alphabet: [String] = ["a", "b", "Z", " ", " ", "  ", "\t", "\n", "\r\n", "\u{00A0}", "\u{2009}", "\u{3000}", "\u{0001}",
                              "é", "中", "𝐀", "\"", "\\", "/", "~", "\u{7F}", "\u{85}", "\u{200B}", "."]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func random(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
    for _ in 0..<3_000 {
        let title = (0..<random(40)).map { _ in alphabet[random(alphabet.count)] }.joined()
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: ["id": "0704.0001", "title": title]), as: UTF8.self)
        let records = try parse(encoded)
        if title.collapsingWhitespace.isEmpty {
            #expect(rejections(records).map(\.reason) == ["field \"title\" is empty"])
        } else {
            #expect(papers(records).map(\.title) == [title.collapsingWhitespace], "\(encoded)")
        }
    }
}

@Test func badLinesAreRejectedWithTheirLineAndTheRestKept() throws {
    let good = try fixtureLines()
    var bytes: [UInt8] = Array((good[0] + "\n").utf8)
    bytes += [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A]  // {"id":"\xFF\xFE"}
    bytes += Array("\n   \n".utf8)  // blank lines are skipped but counted
    bytes += Array("[1, 2, 3]\n".utf8)
    bytes += Array((good[1] + "\n").utf8)
    bytes += Array(#"{"title":"No id here","abstract":"x"}"#.utf8) + [0x0A]
    bytes += Array(#"{"id":"0704.0003","title":42}"#.utf8) + [0x0A]
    bytes += Array(#"{"id":"not-an-id","title":"T"}"#.utf8) + [0x0A]
    bytes += Array(#"{"id":"0704.0004","abstract":"no title"}"#.utf8) + [0x0A]
    bytes += Array(#"{"id":"0704.0005","title":"T","versions":[{"version":"v1","created":"yesterday"}]}"#.utf8) + [0x0A]
    bytes += Array((good[2] + "\n").utf8)
    bytes += Array(good[3].utf8.prefix(300))  // a truncated last line
    let records = try parse(bytes)
    #expect(papers(records).map(\.id.rawValue) == ["0704.0001", "0704.0002", "0704.0003"])
    let rejected = rejections(records)
    #expect(rejected.map(\.line) == [2, 5, 7, 8, 9, 10, 11, 13])
    #expect(rejected.allSatisfy { $0.file == "snapshot.jsonl" })
    let reasons = rejected.map(\.reason)
    #expect(reasons[0] == "line is not valid UTF-8")
    #expect(reasons[1] == "the line is an array, expected a JSON object")
    #expect(reasons[2] == "field \"id\" is missing")
    #expect(reasons[3] == "field \"title\" is a number, expected a string")
    #expect(reasons[4] == "field \"id\" is not an arXiv identifier: \"not-an-id\"")
    #expect(reasons[5] == "field \"title\" is missing")
    #expect(reasons[6].hasPrefix("field \"versions\" has a date that is not like"))
    #expect(reasons[7].contains("invalid JSON in field \"abstract\"") && reasons[7].contains("ends inside a string"))
    #expect(rejected[1].description == "snapshot.jsonl:5: the line is an array, expected a JSON object")
}

@Test func tenMegabyteAbstractIsRejectedByTheLimitAndNeighboursKept() throws {
    let good = try fixtureLines()
    let huge = #"{"id":"0704.0009","title":"Huge","abstract":""# + String(repeating: "word ", count: 2_000_000) + #""}"#
    let records = try parse([good[0], huge, good[1]].joined(separator: "\n"))
    #expect(papers(records).map(\.id.rawValue) == ["0704.0001", "0704.0002"])
    let rejection = try #require(rejections(records).first)
    #expect(rejection.line == 2)
    #expect(rejection.reason.hasPrefix("field \"abstract\" is 9999999 bytes, more than the limit of"))
}

@Test func lineOverTheReaderLimitIsRejectedWithItsNumber() throws {
    let good = try fixtureLines()
    let records = try parse(Array([good[0], String(repeating: "x", count: 5_000), good[1]].joined(separator: "\n").utf8), maxLineBytes: 4_096)
    #expect(papers(records).count == 2)
    #expect(rejections(records).map(\.line) == [2])
    #expect(rejections(records).first?.reason == "line is 5000 bytes, more than the limit of 4096")
}

@Test func snapshotReadsTheSameWithCRLFEndingsAndOneByteChunks() throws {
    let lines = try fixtureLines()
    let lf = try parse(lines.joined(separator: "\n") + "\n")
    #expect(papers(lf).count == 200)
    #expect(try parse(Array((lines.joined(separator: "\r\n") + "\r\n").utf8)) == lf)
    #expect(try parse(Array(lines.joined(separator: "\n").utf8), chunkSize: 1) == lf)
}

@Test func authorListIsTheFallbackWhenParsedAuthorsAreMissing() throws {
    let line = #"{"id":"hep-th/9901001v3","title":"Old style","authors":"A. Einstein, B. Podolsky and N. Rosen","categories":"hep-th","versions":[{"version":"v3","created":"Fri, 1 Jan 1999 00:00:00 GMT"},{"version":"v1","created":"Thu, 31 Dec 1998 23:00:00 GMT"}]}"#
    let paper = try #require(papers(try parse(line)).first)
    #expect(paper.id.rawValue == "hep-th/9901001")
    #expect(paper.authors.map(\.name) == ["A. Einstein", "B. Podolsky", "N. Rosen"])
    #expect(paper.version == 3)
    #expect(paper.published == utc(1998, 12, 31, 23, 0, 0))
    #expect(paper.updated == utc(1999, 1, 1, 0, 0, 0))
}
