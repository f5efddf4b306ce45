import Embedding
import Foundation

/// libFuzzer entry: the first byte picks what is fuzzed. Even: the rest is text for the real
/// all-MiniLM-L6-v2 tokenizer (`PAPERBOY_MODEL`, else the installed model), which must give
/// at most `maxLength` ids, every id one its file names. Odd: the rest is a
/// `tokenizer.json`, which loads or is refused with an error; what loads encodes a few texts.
/// See RELIABILITY.md for how it is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let rest = UnsafeBufferPointer(start: data + 1, count: size - 1)
    if data[0] % 2 == 0 {
        check(realTokenizer, String(decoding: rest, as: UTF8.self))
    } else {
        let file = scratchFile.appendingPathComponent("tokenizer.json")
        guard (try? Data(rest).write(to: file)) != nil else { return 0 }
        if let tokenizer = try? WordPieceTokenizer(contentsOf: file, maxLength: 16) {
            for text in ["", "Attention is all you need.", "naïve ##x [UNK] \u{301}é 日本語", String(repeating: "ab", count: 300)] {
                check(tokenizer, text)
            }
        }
    }
    return 0
}

private func check(_ tokenizer: WordPieceTokenizer, _ text: String) {
    let ids = tokenizer.encode(text)
    precondition(ids.count <= tokenizer.maxLength, "\(ids.count) ids for \(text.debugDescription), more than \(tokenizer.maxLength)")
    for id in ids {
        precondition(0 <= id && id <= tokenizer.largestID, "id \(id) outside the vocabulary for \(text.debugDescription)")
    }
}

private let realTokenizer: WordPieceTokenizer = {
    let environment = ProcessInfo.processInfo.environment["PAPERBOY_MODEL"] ?? ""
    let directory = environment.isEmpty
        ? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/paperboy/models/all-MiniLM-L6-v2")
        : URL(fileURLWithPath: environment)
    do {
        return try WordPieceTokenizer.load(modelDirectory: directory)
    } catch {
        fatalError("the fuzzer needs the installed model: \(error)")
    }
}()

private let scratchFile: URL = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-fuzz-tokenizer-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}()
