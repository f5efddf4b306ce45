import SearchIndex

/// libFuzzer entry: any text is parsed to a query or refused with a `QuerySyntaxError` that
/// points inside it; it never traps. See RELIABILITY.md for how it is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try QueryParser.parse(text)
    } catch {
        precondition(error.column >= 1 && error.column <= text.count + 1, "column \(error.column) outside a query of \(text.count) characters")
    }
    return 0
}
