import Foundation
import PaperboyTesting
import Testing
import Embedding

/// The real model.safetensors reads back as numpy reads it (`bench/safetensors_reference.py`
/// wrote `Tests/Fixtures/minilm-safetensors-summary.json`), and damaged headers are refused
/// with the file and the tensor named.
@Suite struct SafetensorsReaderTests {
    struct Summary: Decodable {
        struct Entry: Decodable { var name: String; var dtype: String; var shape: [Int]; var sum: Double; var first: [Double] }
        var file_bytes: Int
        var tensors: [Entry]
    }

    @Test func everyTensorOfTheRealModelMatchesNumpy() throws {
        let file = Fixtures.modelDirectory.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: file.path) else {
            Issue.record("all-MiniLM-L6-v2 not found at \(file.path). \(Fixtures.modelInstallHint)")
            return
        }
        let summary = try JSONDecoder().decode(Summary.self, from: Data(contentsOf:
            Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/minilm-safetensors-summary.json")))
        let model = try SafetensorsFile(contentsOf: file)
        #expect(model.names == summary.tensors.map(\.name))
        for expected in summary.tensors {
            let tensor = try model.tensor(expected.name)
            #expect(tensor.shape == expected.shape && model.entries[expected.name]?.dtype.rawValue == expected.dtype)
            #expect(tensor.values.prefix(4).map(Double.init) == expected.first, "\(expected.name)")
            let sum = tensor.values.reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum - expected.sum) <= 1e-6 * max(1, abs(expected.sum)), "\(expected.name): \(sum) vs \(expected.sum)")
        }
        #expect(try model.tensor("embeddings.word_embeddings.weight").shape == [30_522, 384])
    }

    @Test(arguments: [
        ("empty", Data(), "shorter than a safetensors header"),
        ("short", Data([1, 2, 3]), "shorter than a safetensors header"),
        ("huge header", Data([255, 255, 0, 0, 0, 0, 0, 0]) + Data("{}".utf8), "more than the file holds"),
        ("not json", Self.file(header: "{not json"), "not JSON"),
        ("dtype", Self.file(header: #"{"w":{"dtype":"Q8","shape":[1],"data_offsets":[0,4]}}"#, body: 4), "tensor w: unsupported dtype Q8"),
        ("size", Self.file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, body: 4), "tensor w: 4 bytes do not hold shape [2]"),
        ("range", Self.file(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, body: 8), "tensor w: its data runs past the end"),
        ("shape overflowing", Self.file(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,4]}}"#, body: 4),
         "tensor w: 4 bytes do not hold shape [4611686018427387904]"),
        ("offsets overflowing", Self.file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775803,9223372036854775807]}}"#),
         "tensor w: its data runs past the end"),
    ] as [(String, Data, String)])
    func damagedFilesAreRefusedNamingTheProblem(_ label: String, bytes: Data, expected: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = try directory.write("model.safetensors", bytes)
        do {
            _ = try SafetensorsFile(contentsOf: url)
            Issue.record("\(label): a damaged file was accepted")
        } catch let error as SafetensorsError {
            #expect(error.path == url.path)
            #expect(error.message.contains(expected), "\(label): \(error.message)")
        }
    }

    static func file(header: String, body: Int = 0) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        return data + Data(header.utf8) + Data(count: body)
    }

    @Test func halfPrecisionTensorsAreWidened() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // 1.5 and -2 as F16 (0x3E00, 0xC000) and as BF16 (0x3FC0, 0xC000).
        let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}"#
        var data = Self.file(header: header)
        data.append(contentsOf: [0x00, 0x3E, 0x00, 0xC0, 0xC0, 0x3F, 0x00, 0xC0])
        let model = try SafetensorsFile(contentsOf: try directory.write("m.safetensors", data))
        #expect(try model.tensor("h").values == [1.5, -2])
        #expect(try model.tensor("b").values == [1.5, -2])
    }
}
