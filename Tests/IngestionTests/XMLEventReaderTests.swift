import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@testable import Ingestion

/// Helpers the XML importer tests share: real fixture bytes, damage applied to them at a
/// chosen place, and everything a reader or parser yields.
enum XMLTestSupport {
    static func fixture(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Fixtures.shared(path)))
    }

    /// Every record a parser yields.
    static func drain<Parser: RecordParser>(_ parser: inout Parser) throws -> [ParsedRecord] {
        var records: [ParsedRecord] = []
        while let record = try parser.next() { records.append(record) }
        return records
    }

    static func papers(_ records: [ParsedRecord]) -> [Paper] {
        records.compactMap { if case .paper(let paper) = $0 { paper } else { nil } }
    }

    static func rejections(_ records: [ParsedRecord]) -> [Rejection] {
        records.compactMap { if case .rejected(let rejection) = $0 { rejection } else { nil } }
    }

    /// The byte offset of the `occurrence`-th (0-based) `needle` in `bytes`.
    static func offset(of needle: String, occurrence: Int = 0, in bytes: [UInt8]) -> Int? {
        let pattern = Array(needle.utf8)
        var found = -1
        var index = 0
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                found += 1
                if found == occurrence { return index }
            }
            index += 1
        }
        return nil
    }

    /// The 1-based line of the byte at `offset`.
    static func line(at offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].filter { $0 == UInt8(ascii: "\n") }.count
    }

    /// Every event and problem a reader yields, going on after non-fatal problems.
    static func read(_ bytes: [UInt8], chunkSize: Int = XMLEventReader.defaultChunkSize) throws -> (events: [XMLEvent], problems: [XMLSyntaxError]) {
        var reader = XMLEventReader(source: DataByteSource(bytes), chunkSize: chunkSize)
        var events: [XMLEvent] = []
        var problems: [XMLSyntaxError] = []
        while true {
            do {
                guard let event = try reader.next() else { break }
                events.append(event)
            } catch let error as PaperboyError {
                let problem = try #require(error.xmlSyntaxError)
                problems.append(problem)
                if problem.isFatal { break }
            }
        }
        return (events, problems)
    }

    /// The concatenated text events inside the first element named `localName`.
    static func text(of localName: String, in events: [XMLEvent]) -> String? {
        var inside = 0
        var text: String?
        for event in events {
            switch event.kind {
            case .startElement(_, let name, _):
                if name == localName, text == nil {
                    inside = 1
                    text = ""
                } else if inside > 0 {
                    inside += 1
                }
            case .endElement:
                if inside == 1 { return text }
                if inside > 0 { inside -= 1 }
            case .text(let content):
                if inside > 0 { text? += content }
            }
        }
        return text
    }
}

private func start(_ name: String, _ attributes: [(String, String)] = [], line: Int) -> XMLEvent {
    let local = String(name.split(separator: ":").last ?? "")
    return XMLEvent(.startElement(name: name, localName: local,
                                  attributes: XMLAttributes(attributes.map { XMLAttribute(name: $0.0, value: $0.1) })), line: line)
}

private func end(_ name: String, line: Int) -> XMLEvent {
    XMLEvent(.endElement(name: name, localName: String(name.split(separator: ":").last ?? "")), line: line)
}

private func text(_ content: String, line: Int) -> XMLEvent { XMLEvent(.text(content), line: line) }

@Test func readerYieldsElementsAttributesAndTextWithLinesAndSkipsDeclarationsCommentsAndDoctype() throws {
    let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE feed [ <!ENTITY unused "x"> ]>
        <!-- a comment -->
        <feed xmlns:arxiv="http://arxiv.org/schemas/atom"><?render now?>
          <arxiv:doi scheme='a "b"' term="c">10.1/x</arxiv:doi>
          <link href="h" rel="alternate"/>
        </feed>
        """
    let (events, problems) = try XMLTestSupport.read(Array(document.utf8))
    #expect(problems.isEmpty)
    #expect(events == [
        start("feed", [("xmlns:arxiv", "http://arxiv.org/schemas/atom")], line: 4),
        text("\n  ", line: 4),
        start("arxiv:doi", [("scheme", "a \"b\""), ("term", "c")], line: 5),
        text("10.1/x", line: 5),
        end("arxiv:doi", line: 5),
        text("\n  ", line: 5),
        start("link", [("href", "h"), ("rel", "alternate")], line: 6),
        end("link", line: 6),
        text("\n", line: 6),
        end("feed", line: 7),
    ])
    guard case .startElement(_, _, let attributes) = events[2].kind else { return }
    #expect(attributes["scheme"] == "a \"b\"")
    #expect(attributes["missing"] == nil)
}

@Test func readerMatchesNamesOfARealFeedByLocalNameAndCountsLines() throws {
    let bytes = try XMLTestSupport.fixture("fixtures/arxiv-api/xml/id_list_1111.2011v2.xml")
    let (events, problems) = try XMLTestSupport.read(bytes)
    #expect(problems.isEmpty)
    let starts = events.compactMap { event -> (String, String, Int)? in
        guard case .startElement(let name, let local, _) = event.kind else { return nil }
        return (name, local, event.line)
    }
    #expect(starts.first { $0.1 == "entry" }?.2 == 10)
    #expect(starts.first { $0.1 == "doi" }.map { [$0.0, String($0.2)] } == ["arxiv:doi", "45"])
    #expect(starts.first { $0.1 == "totalResults" }?.0 == "opensearch:totalResults")
    #expect(XMLTestSupport.text(of: "journal_ref", in: events) == "Phys. Rev. B 85, 115117 (2012)")
    #expect(events.last == end("feed", line: 55))
}

@Test func readerDecodesPredefinedEntitiesCharacterReferencesAndCDATA() throws {
    let document = """
        <a t="x&amp;y&#10;z">&lt;&gt;&amp;&quot;&apos; &#233;&#xE9;&#x1F600; <![CDATA[<b>&amp;</b>]]>\r\nend</a>
        """
    let (events, problems) = try XMLTestSupport.read(Array(document.utf8))
    #expect(problems.isEmpty)
    #expect(events.first == start("a", [("t", "x&y\nz")], line: 1))
    #expect(XMLTestSupport.text(of: "a", in: events) == "<>&\"' éé\u{1F600} <b>&amp;</b>\nend")
}

@Test func readerDecodesEntitiesOfARealOAIRecord() throws {
    let bytes = try XMLTestSupport.fixture("fixtures/arxiv-oai-pmh/oai_dc_GetRecord_data.xml")
    let (events, problems) = try XMLTestSupport.read(bytes)
    #expect(problems.isEmpty)
    let abstract = try #require(XMLTestSupport.text(of: "description", in: events))
    #expect(abstract.contains("Dirac-electron and Schr\\\"odinger-hole"))
}

@Test func readerReportsAMismatchedEndTagWithItsLineAndClosesTheSkippedElements() throws {
    let document = "<feed>\n<entry>\n<title>x</titel>\n</entry>\n<entry><title>y</title></entry>\n</feed>"
    let (events, problems) = try XMLTestSupport.read(Array(document.utf8))
    #expect(problems.map(\.kind) == [.mismatchedEndTag, .mismatchedEndTag])
    #expect(problems.map(\.line) == [3, 4])
    #expect(problems.allSatisfy { !$0.isFatal })
    // </entry> closed the <title> left open, so the second entry is read at the right depth.
    let ends = events.compactMap { event -> String? in
        if case .endElement(let name, _) = event.kind { "\(name)@\(event.line)" } else { nil }
    }
    #expect(ends == ["title@4", "entry@4", "title@5", "entry@5", "feed@6"])
}

@Test func readerReportsATruncatedDocumentAtTheLineWhereInputEnded() throws {
    let bytes = try XMLTestSupport.fixture("fixtures/arxiv-api/xml/id_list_1111.2011v2.xml")
    let cut = try #require(XMLTestSupport.offset(of: "Zlatko", in: bytes))
    let truncated = Array(bytes[..<cut])
    let (events, problems) = try XMLTestSupport.read(truncated)
    let problem = try #require(problems.last)
    #expect(problem.kind == .truncatedDocument)
    #expect(problem.isFatal)
    #expect(problem.line == XMLTestSupport.line(at: cut, in: bytes))
    #expect(problem.message.contains("inside <name> opened at line \(problem.line)"))
    #expect(problems.count == 1)
    #expect(!events.isEmpty)
}

@Test func readerReportsAnUnknownEntityAndKeepsItAsWritten() throws {
    let (events, problems) = try XMLTestSupport.read(Array("<a>\nAT&T &nbsp; &#xD800; ok</a>".utf8))
    #expect(problems.map(\.kind) == [.badEntity])
    #expect(problems.first?.line == 2)
    #expect(XMLTestSupport.text(of: "a", in: events) == "\nAT&T &nbsp; &#xD800; ok")
}

@Test func readerDecodesInvalidUTF8AsReplacementAndRecordsItsLine() throws {
    var bytes = Array("<a>\n<b>caf\u{e9}</b>\n<c>ok</c>\n</a>".utf8)
    let index = try #require(XMLTestSupport.offset(of: "caf", in: bytes)) + 3
    bytes.insert(0xFF, at: index)
    let (events, problems) = try XMLTestSupport.read(bytes)
    #expect(problems.isEmpty)
    let bad = events.filter { !$0.invalidUTF8Lines.isEmpty }
    #expect(bad.map(\.invalidUTF8Lines) == [[2]])
    #expect(XMLTestSupport.text(of: "b", in: events) == "caf\u{FFFD}\u{e9}")
    #expect(XMLTestSupport.text(of: "c", in: events) == "ok")
}

@Test func readerKeepsAStrayLessThanAsTextAndReportsIt() throws {
    let (events, problems) = try XMLTestSupport.read(Array("<a>x\n< 3 and y <= 4</a>".utf8))
    #expect(problems.map(\.kind) == [.malformedMarkup])
    #expect(problems.first?.line == 2)
    #expect(XMLTestSupport.text(of: "a", in: events) == "x\n< 3 and y <= 4")
}

@Test func readerSkipsAByteOrderMark() throws {
    let (events, problems) = try XMLTestSupport.read([0xEF, 0xBB, 0xBF] + Array("<a/>".utf8))
    #expect(problems.isEmpty)
    #expect(events == [start("a", line: 1), end("a", line: 1)])
}

@Test(arguments: [
    "fixtures/arxiv-api/xml/id_list_1111.2011v2.xml",
    "fixtures/arxiv-api/xml/search_all_transformer_AND_cat_cs.LG_max5_2026.xml",
    "fixtures/arxiv-oai-pmh/oai_dc_GetRecord_data.xml",
])
func oneByteChunksGiveTheSameEventsAsLargeChunks(path: String) throws {
    let bytes = try XMLTestSupport.fixture(path)
    let whole = try XMLTestSupport.read(bytes)
    #expect(whole.problems.isEmpty)
    #expect(whole.events.count > 20)
    for chunkSize in [1, 2, 7, 64] {
        let chunked = try XMLTestSupport.read(bytes, chunkSize: chunkSize)
        #expect(chunked.events == whole.events, "chunk size \(chunkSize)")
        #expect(chunked.problems == whole.problems, "chunk size \(chunkSize)")
    }
}

@Test func oneByteChunksFindTheSameDamageAsLargeChunks() throws {
    var bytes = Array("<a>\n<!-- c -- d --><b x='1' y=\"&lt;\">t&amp;<![CDATA[]]]]>]]></b>\n<c>&bogus;</d>\r\n".utf8)
    bytes.insert(0xC3, at: try #require(XMLTestSupport.offset(of: "t&amp;", in: bytes)) + 1)
    let whole = try XMLTestSupport.read(bytes)
    let chunked = try XMLTestSupport.read(bytes, chunkSize: 1)
    #expect(chunked.events == whole.events)
    #expect(chunked.problems == whole.problems)
    #expect(whole.problems.map(\.kind) == [.badEntity, .mismatchedEndTag, .truncatedDocument])
    #expect(whole.events.flatMap(\.invalidUTF8Lines) == [2])
}

@Test func collapsingWhitespaceOnBytesMatchesTheCoreRule() throws {
    let samples = ["", "  ", " a  b\n\tc ", "x\u{00A0}y\u{2003}z\u{3000}", "\u{85}é\u{1680}ü\r\n", "caf\u{e9} \u{1F600}  end", "\u{1}\u{7F}a"]
    for sample in samples {
        #expect(XMLTextDecoder.collapsingWhitespace(sample) == sample.collapsingWhitespace, "\(sample.debugDescription)")
    }
    let page = String(decoding: try XMLTestSupport.fixture("fixtures/arxiv-oai-pmh/oai_dc_ListRecords_data_2.xml"), as: UTF8.self)
    #expect(XMLTextDecoder.collapsingWhitespace(page) == page.collapsingWhitespace)
}

@Test func aTokenLongerThanTheBoundStopsTheReader() throws {
    let document = Array("<a>\n<b>".utf8) + Array(repeating: UInt8(ascii: "x"), count: 300_000) + Array("</b></a>".utf8)
    var reader = XMLEventReader(source: DataByteSource(document), chunkSize: 4_096, maximumTokenBytes: 100_000)
    var events = 0
    var problem: XMLSyntaxError?
    do {
        while try reader.next() != nil { events += 1 }
    } catch let error as PaperboyError {
        problem = error.xmlSyntaxError
    }
    #expect(events == 3)  // <a>, the line feed, <b>
    #expect(problem?.kind == .limitExceeded)
    #expect(problem?.isFatal == true)
    #expect(problem?.line == 2)
    #expect(reader.buffer.count <= 100_000 + 4_096)
    #expect(try reader.next() == nil)
}

@Test func memoryStaysFlatOnAManyTimesLargerDocument() throws {
    let page = try XMLTestSupport.fixture("fixtures/arxiv-api/xml/recorded_q_testing_s0_m10_bc5a6c384fe9.xml")
    let first = try #require(XMLTestSupport.offset(of: "  <entry>", in: page))
    let last = try #require(XMLTestSupport.offset(of: "</feed>", in: page))
    let entries = Array(page[first..<last])
    let repeats = 400  // about 10 MB
    var document = Array(page[..<first])
    for _ in 0..<repeats { document += entries }
    document += Array(page[last...])
    var reader = XMLEventReader(source: DataByteSource(document), chunkSize: 64 * 1024)
    var largestBuffer = 0
    var entryStarts = 0
    while let event = try reader.next() {
        largestBuffer = max(largestBuffer, reader.buffer.count)
        if case .startElement(_, "entry", _) = event.kind { entryStarts += 1 }
    }
    #expect(document.count > 9_000_000)
    #expect(entryStarts == 10 * repeats)
    #expect(largestBuffer < 64 * 1024 + 4 * 1024)
}
