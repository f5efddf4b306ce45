import Foundation
import PaperboyTesting
import Testing

@testable import Ingestion

private let dailyFixture = "fixtures/hf-daily-papers/daily_papers_2026-06-12.json"

private func items(_ text: String, chunkSize: Int = LineReader.defaultChunkSize, maxElementBytes: Int = JSONArrayReader.defaultMaxElementBytes) throws -> [JSONArrayReader.Item] {
    try items(Array(text.utf8), chunkSize: chunkSize, maxElementBytes: maxElementBytes)
}

private func items(_ bytes: [UInt8], chunkSize: Int = LineReader.defaultChunkSize, maxElementBytes: Int = JSONArrayReader.defaultMaxElementBytes) throws -> [JSONArrayReader.Item] {
    var reader = JSONArrayReader(source: DataByteSource(bytes), chunkSize: chunkSize, maxElementBytes: maxElementBytes)
    var result: [JSONArrayReader.Item] = []
    while let item = try reader.next() { result.append(item) }
    return result
}

/// The element texts, with "!line" for each malformed item.
private func summary(_ items: [JSONArrayReader.Item]) -> [String] {
    items.map { item in
        switch item {
        case .element(let element): String(decoding: element.bytes, as: UTF8.self)
        case .malformed(let line, _, _): "!\(line)"
        }
    }
}

@Test func realDailyArrayStreamsThirtyObjectsAtTheirOffsets() throws {
    let bytes = [UInt8](try Data(contentsOf: Fixtures.shared(dailyFixture)))
    let result = try items(bytes)
    #expect(result.count == 30)
    for item in result {
        guard case .element(let element) = item else {
            Issue.record("unexpected \(item)")
            continue
        }
        let start = Int(element.byteOffset)
        #expect(Array(bytes[start..<(start + element.bytes.count)]) == element.bytes)
        let object = try JSONSerialization.jsonObject(with: Data(element.bytes)) as? [String: Any]
        #expect(object?["paper"] != nil)
        #expect(element.line == 1)
    }
}

@Test func elementsOfEveryKindAreDelimitedWithTheirLines() throws {
    let text = "[\n  {\"a\": \"x]}\\\"\", \"b\": [1, {\"c\": null}]},\n  [1, [2]],\n  \"s, ]\",\n  -4.5e3 , true\n]\n"
    let result = try items(text)
    #expect(summary(result) == ["{\"a\": \"x]}\\\"\", \"b\": [1, {\"c\": null}]}", "[1, [2]]", "\"s, ]\"", "-4.5e3", "true"])
    let lines = result.compactMap { item -> Int? in
        if case .element(let element) = item { return element.line }
        return nil
    }
    #expect(lines == [2, 3, 4, 5, 5])
}

@Test func oneByteChunksGiveTheSameElementsAsLargeChunks() throws {
    let bytes = [UInt8](try Data(contentsOf: Fixtures.shared(dailyFixture)))
    #expect(try items(bytes, chunkSize: 1) == items(bytes))
    #expect(try items(bytes, chunkSize: 5) == items(bytes))
}

@Test func emptyArrayAndByteOrderMarkAreAccepted() throws {
    #expect(try items(" [ \n ] ").isEmpty)
    #expect(try summary(items([0xEF, 0xBB, 0xBF] + Array("[1]".utf8))) == ["1"])
}

@Test func inputThatIsNotAnArrayIsOneProblem() throws {
    let result = try items("{\"error\": \"rate limited\"}")
    #expect(result.count == 1)
    guard case .malformed(let line, _, let reason)? = result.first else {
        Issue.record("expected a problem")
        return
    }
    #expect(line == 1 && reason.contains("expected a JSON array"))
    #expect(try summary(items("")) == ["!1"])
}

@Test func truncatedArrayKeepsEarlierElementsAndReportsTheCutOneByLine() throws {
    let result = try items("[\n{\"a\": 1},\n{\"b\": [2,\n")
    #expect(summary(result) == ["{\"a\": 1}", "!3"])
    if case .malformed(_, let offset, let reason) = result[1] {
        #expect(offset == 12)
        #expect(reason.contains("truncated"))
    }
}

@Test func missingCommaIsReportedAndTheNextElementStillRead() throws {
    #expect(try summary(items("[{\"a\": 1}\n{\"b\": 2}, {\"c\": 3}]")) == ["{\"a\": 1}", "!2", "{\"b\": 2}", "{\"c\": 3}"])
}

@Test func textAfterTheArrayIsReported() throws {
    #expect(try summary(items("[1, 2]\n]")) == ["1", "2", "!2"])
}

@Test(arguments: [1, 4, 1024])
func elementOverTheLimitIsSkippedAndItsNeighboursKept(chunkSize: Int) throws {
    let big = "{\"abstract\": \"" + String(repeating: "z", count: 500) + "\"}"
    let result = try items("[{\"a\": 1},\n \(big),\n {\"b\": 2}]", chunkSize: chunkSize, maxElementBytes: 100)
    #expect(summary(result) == ["{\"a\": 1}", "!2", "{\"b\": 2}"])
    if case .malformed(_, _, let reason) = result[1] {
        #expect(reason.contains("more than the limit of 100"))
    }
}

/// A real daily papers file cut at 16 KB (the fuzzer's seed) reads the same in 7-byte chunks
/// as in whole ones: the elements before the cut whole, the one it went through rejected as
/// truncated.
@Test func aTruncatedArrayReadsTheSameInSmallChunks() throws {
    let file = try Data(contentsOf: Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json"))
    let cut = Array(file.prefix(16_384))
    let small = try items(cut, chunkSize: 7)
    #expect(small == (try items(cut)))
    guard case .malformed(_, _, let reason)? = small.last else {
        Issue.record("the last item is not the truncated element: \(String(describing: small.last))")
        return
    }
    #expect(reason.contains("truncated"))
}

/// Found by fuzzing (`Fuzz/FuzzImporters`): a stray '}' after an element, or where one
/// should start, made the reader return an empty element and a problem for ever without
/// moving on, so `paperboy import` of such a file never ended. Each is now one problem, and
/// the elements around it are kept.
@Test func aStrayClosingBraceIsOneProblemAndReadingGoesOn() throws {
    // At most 100 items: a reader that stops moving on fails here instead of running for ever.
    var reader = JSONArrayReader(source: DataByteSource(#"[{"a":1}}, {"b":2}, } ,{"c":3}]"#), chunkSize: 3)
    var found: [JSONArrayReader.Item] = []
    while found.count < 100, let item = try reader.next() { found.append(item) }
    let elements = found.compactMap { item -> String? in
        if case .element(let element) = item { return String(decoding: element.bytes, as: UTF8.self) }
        return nil
    }
    #expect(elements == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
    let problems = found.compactMap { item -> String? in
        if case .malformed(_, _, let reason) = item { return reason }
        return nil
    }
    #expect(problems == ["expected ',' or ']' after an element, found '}'", "a stray '}' where an element should start",
                         "an empty element (two commas in a row)"])
    // The input the fuzzer found: a real daily papers file with a string cut into its middle.
    var parser = HFDailyParser(source: DataByteSource(#"[{"paper":{"id":"2606.00467"}},"summary":"x"}]"#), file: "f.json", chunkSize: 7)
    var records = 0
    while records < 100, try parser.next() != nil { records += 1 }
    // The paper (rejected: no title), "summary", the ':' after it, "x", the stray '}'.
    #expect(records == 5)
}
