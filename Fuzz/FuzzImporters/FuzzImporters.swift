import Foundation
import Ingestion

/// libFuzzer entry: the first byte picks an importer (HF papers page text, arXiv Atom,
/// OAI-PMH, arXiv snapshot JSONL, HF daily JSON) and the rest is its input; every record is
/// read or rejected, or the input refused with an error: nothing traps or hangs. See
/// RELIABILITY.md for how it is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImporters(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let source = DataByteSource(bytes)
    // Small chunks, so records and XML events cross chunk boundaries.
    switch data[0] % 5 {
    case 0: drain(HFPagesParser(source: source, file: "fuzz.txt", chunkSize: 7))
    case 1: drain(ArxivAtomParser(source: source, file: "fuzz.atom", chunkSize: 7))
    case 2: drain(OAIPMHParser(source: source, file: "fuzz.xml", chunkSize: 7))
    case 3: drain(ArxivSnapshotParser(source: source, file: "fuzz.jsonl", chunkSize: 7))
    default: drain(HFDailyParser(source: source, file: "fuzz.json", chunkSize: 7))
    }
    return 0
}

private func drain(_ parser: some RecordParser) {
    var parser = parser
    while (try? parser.next()) != nil {}
}
