import Foundation
@testable import SearchIndex

/// libFuzzer entry: any bytes as a keyword index file are refused with an error naming the
/// file, or load as an index that answers searches. The input is the file without its
/// trailer: the harness appends the checksum and end marker a saved file ends with, so the
/// fuzzer reaches the parsing behind the checksum instead of stopping at it. See
/// RELIABILITY.md for how it is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndexFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let body = UnsafeRawBufferPointer(start: data, count: size)
    var checksum = Checksum()
    checksum.update(body)
    var file = Data(body)
    withUnsafeBytes(of: checksum.value.littleEndian) { file.append(contentsOf: $0) }
    file.append(contentsOf: IndexFile.endMagic)
    guard (try? file.write(to: scratchFile)) != nil else { return 0 }
    guard let index = try? IndexFile.load(from: scratchFile) else { return 0 }
    for query in ["attention", "diffusion model", "\"language model\" -vision", "title:transformer*"] {
        let compiled = index.compile(try! QueryParser.parse(query))
        _ = index.search(compiled.query, limit: 10, days: compiled.days)
    }
    return 0
}

private let scratchFile = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-fuzz-\(getpid()).index")
