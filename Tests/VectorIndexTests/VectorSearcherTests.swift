import Foundation
import PaperboyTesting
import Testing
@testable import VectorIndex

struct VectorSearcherTests {
    static func filled(_ count: Int, threshold: Int, dimension: Int = 16, seed: UInt64 = 31) throws
        -> (VectorSearcher, [(key: String, vector: [Float])]) {
        var generator = TestVectors(seed: seed)
        let keyed = TestVectors.keyed(generator.clustered(count: count, dimension: dimension, clusters: 12))
        var searcher = VectorSearcher(dimension: dimension, parameters: HNSWParameters(m: 8, efConstruction: 40, efSearch: 40),
                                      graphThreshold: threshold, buildThreads: 2)
        for (key, vector) in keyed { try searcher.add(key: key, vector: vector) }
        return (searcher, keyed)
    }

    @Test func switchesToTheGraphAtTheThreshold() throws {
        var (searcher, keyed) = try Self.filled(299, threshold: 300)
        #expect(!searcher.usesGraph)
        try searcher.add(key: "extra", vector: keyed[0].vector.map { -$0 })
        #expect(searcher.usesGraph)
        #expect(searcher.count == 300)
        #expect(searcher.search(keyed[3].vector, k: 1).first?.key == "p3")
        #expect(VectorSearcher.defaultGraphThreshold > 0)
    }

    @Test func builderTakesPagesOfStoredVectors() throws {
        var generator = TestVectors(seed: 32)
        let keyed = TestVectors.keyed(generator.uniform(count: 250, dimension: 16))
        let pages = stride(from: 0, to: keyed.count, by: 100).map { Array(keyed[$0..<min($0 + 100, keyed.count)]) }
        let small = try VectorIndexBuilder.build(dimension: 16, pages: pages)
        #expect(!small.usesGraph && small.count == 250)
        let large = try VectorIndexBuilder.build(dimension: 16, pages: pages, graphThreshold: 200)
        #expect(large.usesGraph && large.count == 250)
        #expect(large.search(keyed[42].vector, k: 1).first?.key == "p42")
    }

    @Test(arguments: [false, true])
    func saveAndLoadGiveIdenticalResults(graph: Bool) throws {
        let directory = try TemporaryDirectory()
        var (searcher, keyed) = try Self.filled(500, threshold: graph ? 100 : 10_000)
        searcher.remove(key: "p1")
        let path = directory.file("vectors.index").path
        try searcher.save(to: path)
        let loaded = try VectorSearcher.load(from: path, graphThreshold: graph ? 100 : 10_000)
        #expect(loaded.usesGraph == graph)
        #expect(loaded.count == 499)
        for i in stride(from: 0, to: 500, by: 25) {
            #expect(loaded.search(keyed[i].vector, k: 10) == searcher.search(keyed[i].vector, k: 10))
        }
        #expect(!loaded.search(keyed[1].vector, k: 10).map(\.key).contains("p1"))
    }

    /// A save killed before its rename leaves a temporary as large as the index; the next
    /// save removes it.
    @Test func aSaveClearsTheTemporaryOfAKilledSave() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let leftover = try directory.write("vectors.index.tmp-\(try Fixtures.finishedProcessID())", Data(count: 4096))
        var (searcher, _) = try Self.filled(50, threshold: 100)
        try searcher.save(to: directory.file("vectors.index").path)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["vectors.index"])
    }

    @Test func damagedFilesThrowAnErrorNamingTheFile() throws {
        let directory = try TemporaryDirectory()
        var (searcher, _) = try Self.filled(200, threshold: 100)
        let path = directory.file("vectors.index").path
        try searcher.save(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))

        func expectError(_ data: Data, _ code: VectorIndexError.Code, _ note: Comment) throws {
            let damaged = directory.file("damaged.index").path
            try data.write(to: URL(fileURLWithPath: damaged))
            do {
                _ = try VectorSearcher.load(from: damaged)
                Issue.record("loaded a damaged file: \(note)")
            } catch let error as VectorIndexError {
                #expect(error.code == code, note)
                #expect(error.description.contains(damaged), note)
            }
        }
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x40
        try expectError(flipped, .corruptFile, "flipped byte")
        try expectError(bytes.prefix(bytes.count - 7), .corruptFile, "truncated body")
        try expectError(bytes.prefix(20), .corruptFile, "truncated header")
        try expectError(Data("not an index at all, just some text that is long enough to have a header".utf8), .corruptFile, "text")
        try expectError(Data(), .corruptFile, "empty")
        var version = bytes
        version[8] = 99
        try expectError(version, .unsupportedVersion, "version")
        #expect(throws: VectorIndexError.self) { try VectorSearcher.load(from: directory.file("missing.index").path) }
    }

    @Test func savingReplacesTheOldFileAtomically() throws {
        let directory = try TemporaryDirectory()
        var (searcher, keyed) = try Self.filled(120, threshold: 10_000)
        let path = directory.file("vectors.index").path
        try searcher.save(to: path)
        searcher.remove(key: "p0")
        try searcher.save(to: path)
        let loaded = try VectorSearcher.load(from: path)
        #expect(loaded.count == 119 && loaded.store.slotCount == 119)
        #expect(loaded.search(keyed[0].vector, k: 1).first?.key != "p0")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers == ["vectors.index"])
    }
}
