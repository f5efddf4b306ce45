import Foundation
import PaperboyTesting
import Testing

@testable import Ingestion

private func lines(_ bytes: [UInt8], chunkSize: Int = LineReader.defaultChunkSize, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws -> [LineReader.Line] {
    var reader = LineReader(source: DataByteSource(bytes), chunkSize: chunkSize, maxLineBytes: maxLineBytes)
    var result: [LineReader.Line] = []
    while let line = try reader.next() { result.append(line) }
    return result
}

private func texts(_ lines: [LineReader.Line]) -> [String] {
    lines.map { String(decoding: $0.bytes, as: UTF8.self) }
}

private let snapshotFixture = "fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"

/// Bytes made on the fly, so a test can feed far more input than it keeps in memory.
private struct GeneratedByteSource: ByteSource {
    var remaining: Int
    let byte: UInt8
    var trailer: [UInt8]

    mutating func read(maxLength: Int) throws -> [UInt8] {
        if remaining > 0 {
            let count = min(maxLength, remaining)
            remaining -= count
            return [UInt8](repeating: byte, count: count)
        }
        let tail = Array(trailer.prefix(maxLength))
        trailer.removeFirst(tail.count)
        return tail
    }
}

@Test func readerYieldsLinesWithNumbersAndOffsets() throws {
    let result = try lines(Array("alpha\nbe\n\ngamma".utf8))
    #expect(texts(result) == ["alpha", "be", "", "gamma"])
    #expect(result.map(\.number) == [1, 2, 3, 4])
    #expect(result.map(\.byteOffset) == [0, 6, 9, 10])
    #expect(result.map(\.isBlank) == [false, false, true, false])
}

@Test func readerDropsCarriageReturnsOfCRLFLines() throws {
    let result = try lines(Array("one\r\ntwo\r\n\r\nthree\r\n".utf8))
    #expect(texts(result) == ["one", "two", "", "three"])
    #expect(result.map(\.byteOffset) == [0, 5, 10, 12])
}

@Test func readerStripsByteOrderMarkOfFirstLineOnly() throws {
    let result = try lines([0xEF, 0xBB, 0xBF] + Array("first\nsecond".utf8))
    #expect(texts(result) == ["first", "second"])
    #expect(result[0].byteOffset == 0)
}

@Test func emptyInputHasNoLines() throws {
    #expect(try lines([]).isEmpty)
    #expect(texts(try lines(Array("\n".utf8))) == [""])
}

@Test func realSnapshotSplitsIntoItsTwoHundredLinesWithExactOffsets() throws {
    let data = try Data(contentsOf: Fixtures.shared(snapshotFixture))
    let result = try lines([UInt8](data))
    #expect(result.count == 200)
    var offset: Int64 = 0
    for line in result {
        #expect(line.byteOffset == offset)
        #expect(line.bytes.first == UInt8(ascii: "{") && line.bytes.last == UInt8(ascii: "}"))
        offset += Int64(line.length) + 1
    }
    #expect(offset == Int64(data.count))
}

@Test func oneByteChunksGiveTheSameLinesAsLargeChunks() throws {
    let bytes = [UInt8](try Data(contentsOf: Fixtures.shared(snapshotFixture)).prefix(40_000)) + Array("\r\nlast".utf8)
    let large = try lines(bytes)
    let tiny = try lines(bytes, chunkSize: 1)
    let odd = try lines(bytes, chunkSize: 7)
    #expect(large.count == 31)
    #expect(tiny == large)
    #expect(odd == large)
}

@Test(arguments: [1, 3, 16, 4096])
func lineOverTheLimitIsSkippedAndReportedWithItsNumber(chunkSize: Int) throws {
    let long = String(repeating: "x", count: 100)
    let result = try lines(Array("short\n\(long)\r\nafter\n\(long)".utf8), chunkSize: chunkSize, maxLineBytes: 50)
    #expect(result.map(\.number) == [1, 2, 3, 4])
    #expect(result.map(\.isTooLong) == [false, true, false, true])
    #expect(texts(result) == ["short", "", "after", ""])
    #expect(result[1].byteOffset == 6)
    #expect(result[1].length >= 100)
    #expect(result[3].length == 100)
}

@Test func hugeLineIsSkippedWithoutBeingBuffered() throws {
    // 24 MiB without a line break, then one more line: far over a 1 MiB limit.
    let source = GeneratedByteSource(remaining: 24 << 20, byte: UInt8(ascii: "a"), trailer: Array("\nkept\n".utf8))
    var reader = LineReader(source: source, chunkSize: 1 << 20, maxLineBytes: 1 << 20)
    let skipped = try #require(try reader.next())
    #expect(skipped.isTooLong && skipped.length == 24 << 20 && skipped.number == 1)
    let kept = try #require(try reader.next())
    #expect(String(decoding: kept.bytes, as: UTF8.self) == "kept" && kept.number == 2)
    #expect(kept.byteOffset == Int64(24 << 20) + 1)
    #expect(try reader.next() == nil)
}
