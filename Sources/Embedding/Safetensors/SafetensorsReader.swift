import Foundation
import PaperboyCore

/// A tensor as 32-bit floats, row-major (F16, BF16 and I64 are widened or converted).
public struct Tensor: Sendable, Equatable {
    public let shape: [Int]
    public let values: [Float]
}

/// What is wrong with a model file, naming the file and the tensor or header field.
public struct SafetensorsError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, then the raw little-endian data. The file is
/// memory-mapped and every range is checked against it before any tensor is read.
public struct SafetensorsFile: Sendable {
    public enum DType: String, Sendable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64"

        var size: Int {
            switch self {
            case .f32: 4
            case .f16, .bf16: 2
            case .i64: 8
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public let dtype: DType
        public let shape: [Int]
        /// Byte range inside the file.
        let range: Range<Int>
    }

    public let path: String
    public let entries: [String: Entry]
    private let data: Data

    public init(contentsOf url: URL) throws {
        path = url.path
        do {
            data = try Data(readingFile: url, options: .alwaysMapped)
        } catch {
            throw SafetensorsError(path: url.path, message: "cannot read the model file: \(error.localizedDescription)")
        }
        entries = try Self.parseHeader(data, path: url.path)
    }

    public var names: [String] { entries.keys.sorted() }

    /// The tensor called `name`, converted to floats.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else {
            throw SafetensorsError(path: path, message: "the model has no tensor \(name)")
        }
        let count = entry.shape.reduce(1, *)
        let values = data.withUnsafeBytes { raw -> [Float] in
            let base = raw.baseAddress! + entry.range.lowerBound
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    switch entry.dtype {
                    case .f32:
                        buffer[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    case .f16:
                        buffer[i] = Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                    case .bf16:
                        buffer[i] = Float(bitPattern: UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                    case .i64:
                        buffer[i] = Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                    }
                }
                initialized = count
            }
        }
        return Tensor(shape: entry.shape, values: values)
    }

    private static func parseHeader(_ data: Data, path: String) throws -> [String: Entry] {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(path: path, message: message) }
        guard data.count >= 8 else { throw fail("the file is shorter than a safetensors header") }
        let length = data.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(data.count - 8) else { throw fail("the header claims \(length) bytes, more than the file holds") }
        let bodyStart = 8 + Int(length)
        let header: [String: Any]
        do {
            header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<bodyStart)) as? [String: Any] ?? [:]
        } catch {
            throw fail("the header is not JSON: \(error.localizedDescription)")
        }
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any] else { throw fail("tensor \(name): its header entry is not an object") }
            guard let dtypeName = info["dtype"] as? String, let dtype = DType(rawValue: dtypeName) else {
                throw fail("tensor \(name): unsupported dtype \(info["dtype"] ?? "none") (F32, F16, BF16 and I64 are read)")
            }
            guard let shape = info["shape"] as? [Int], shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor \(name): shape is not a list of sizes")
            }
            guard let offsets = info["data_offsets"] as? [Int], offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw fail("tensor \(name): data_offsets is not [begin, end]")
            }
            let (count, overflow) = shape.reduce((1, false)) { partial, size in
                let (product, over) = partial.0.multipliedReportingOverflow(by: size)
                return (product, partial.1 || over)
            }
            let (bytes, tooMany) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, !tooMany, bytes == offsets[1] - offsets[0] else {
                throw fail("tensor \(name): \(offsets[1] - offsets[0]) bytes do not hold shape \(shape) of \(dtype.rawValue)")
            }
            guard offsets[1] <= data.count - bodyStart else { throw fail("tensor \(name): its data runs past the end of the file") }
            entries[name] = Entry(dtype: dtype, shape: shape, range: (bodyStart + offsets[0])..<(bodyStart + offsets[1]))
        }
        return entries
    }
}
