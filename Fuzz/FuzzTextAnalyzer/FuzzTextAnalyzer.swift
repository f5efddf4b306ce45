import TextAnalysis

/// libFuzzer entry: any text is analyzed by both analyzers without trapping, and every token
/// points at text inside the input. See RELIABILITY.md for how it is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTextAnalyzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for analyzer in [TextAnalyzer.english, TextAnalyzer.names] {
        for token in analyzer.analyze(text) {
            precondition(!token.term.isEmpty, "an empty term from \(text.debugDescription)")
            precondition(0 <= token.start && token.start <= token.end && token.end <= text.utf8.count,
                         "token \(token.term) spans \(token.start)..<\(token.end) of \(text.utf8.count) bytes")
        }
    }
    return 0
}
