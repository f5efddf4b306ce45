import Embedding
import Foundation

/// libFuzzer entry: any bytes as a `model.safetensors` file are refused with an error naming
/// the file, or every tensor they declare is read without reading outside the file. See
/// RELIABILITY.md for how it is run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard (try? Data(bytes: data, count: size).write(to: scratchFile)) != nil else { return 0 }
    guard let model = try? SafetensorsFile(contentsOf: scratchFile) else { return 0 }
    for name in model.names {
        let tensor = try! model.tensor(name)
        precondition(tensor.values.count == tensor.shape.reduce(1, *), "tensor \(name) has \(tensor.values.count) values for shape \(tensor.shape)")
    }
    return 0
}

private let scratchFile = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-fuzz-\(getpid()).safetensors")
