import Foundation
import PaperboyCore
import PaperboyTesting
import Testing
@testable import PaperMap

/// `map.bin`: a saved map loads as it was, and a damaged file is refused with its name.
@Suite struct MapFileTests {
    static func sampleMap() -> PaperMap {
        let ids = [PaperID("2401.01234")!, PaperID("doi:10.1103/PhysRevLett.1.1")!, PaperID(title: "A Title")!]
        return PaperMap(ids: ids, points: [MapPoint(x: 0.1, y: 0.9), MapPoint(x: 0.5, y: 0.5), MapPoint(x: 1, y: 0)],
                        topicOfPaper: [1, 0, 1], publishedDay: [19_723, Int32.min, 20_000],
                        topics: [MapTopic(label: "quantum, qubits, entanglement", terms: ["quantum", "qubits", "entanglement", "error correction"],
                                          center: MapPoint(x: 0.5, y: 0.5), papers: 1),
                                 MapTopic(label: "protéines", terms: ["protéines"], center: MapPoint(x: 0.55, y: 0.45), papers: 2)],
                        model: "all-MiniLM-L6-v2", computedAt: Date(timeIntervalSince1970: 1_790_000_000.25))
    }

    @Test func aSavedMapLoadsAsItWas() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = MapFile(dataDirectory: dir.url)
        #expect(file.url.lastPathComponent == "map.bin")
        let map = Self.sampleMap()
        try file.save(map)
        #expect(try file.load() == map)
        // Saving again replaces it, and leaves no temporary behind.
        var second = map
        second.points[0] = MapPoint(x: 0.2, y: 0.3)
        try file.save(second)
        #expect(try file.load() == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["map.bin"])
    }

    @Test func aKilledWritersTemporaryIsClearedByTheNextSave() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let leftover = dir.file("map.bin.tmp-\(try Fixtures.finishedProcessID())")
        try Data([1, 2, 3]).write(to: leftover)
        try MapFile(dataDirectory: dir.url).save(Self.sampleMap())
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
    }

    @Test func aDamagedFileIsRefusedNamingIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = MapFile(dataDirectory: dir.url)
        try file.save(Self.sampleMap())
        let good = try Data(contentsOf: file.url)

        func refuses(_ bytes: Data, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
            try? bytes.write(to: file.url)
            do {
                _ = try file.load()
                Issue.record("\(what) was loaded", sourceLocation: sourceLocation)
            } catch {
                #expect("\(error)".contains(file.url.path), "\(what): \(error)", sourceLocation: sourceLocation)
            }
        }
        // Every single flipped byte, header and body alike.
        for offset in 0..<good.count {
            var flipped = good
            flipped[offset] ^= 0x40
            refuses(flipped, "a flip at byte \(offset)")
        }
        for length in [0, 7, 39, 40, good.count / 2, good.count - 1] {
            refuses(good.prefix(length), "a file cut to \(length) bytes")
        }
        refuses(good + Data([0]), "a file with a byte added")
        try? FileManager.default.removeItem(at: file.url)
        #expect(throws: PaperboyError.self) { try file.load() }
    }
}
