import Foundation
import HummingbirdCore
@testable import PaperboyServer
import Retrieval

/// libFuzzer entry: the first byte picks what is fuzzed. Even: the rest is a request target
/// (`/search?…`) read as the server reads it — Hummingbird's URI, the form-encoded query
/// string, every checked parameter the pages take, the search request and its query — which
/// gives values or a `ParameterError` naming a parameter, never a trap. Odd: the rest is a
/// `multipart/form-data` body (boundary `b`), read into fields. See RELIABILITY.md for how
/// it is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryString(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let rest = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] % 2 == 0 {
        let target = String(decoding: rest, as: UTF8.self)
        let parameters = Parameters(FormBody.urlEncoded(URI(target).query ?? ""))
        checked { () throws(ParameterError) in _ = try parameters.string("email", maxLength: 320) }
        checked { () throws(ParameterError) in _ = try parameters.integer("page", default: 1, in: 1...50) }
        checked { () throws(ParameterError) in _ = try parameters.day("day") }
        checked { () throws(ParameterError) in _ = try parameters.category("cat") }
        checked { () throws(ParameterError) in _ = try parameters.choice("mode", as: SearchMode.self) }
        checked { () throws(ParameterError) in _ = try SearchRequest(parameters).parsed() }
    } else {
        _ = FormBody.multipart(rest, boundary: "b")
    }
    return 0
}

/// Runs `read`, which may refuse its input only with a `ParameterError` naming a parameter.
private func checked(_ read: () throws(ParameterError) -> Void) {
    do {
        try read()
    } catch {
        precondition(!error.parameter.isEmpty, "a refusal that names no parameter: \(error)")
    }
}
