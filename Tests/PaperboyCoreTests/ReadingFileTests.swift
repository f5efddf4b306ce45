import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@Suite struct ReadingFileTests {
    @Test func filesReadAsFoundationReadsThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let full = try directory.write("full.bin", Data([1, 2, 3]))
        let empty = try directory.write("empty.bin", Data())
        #expect(try Data(readingFile: full) == Data([1, 2, 3]))
        #expect(try Data(readingFile: full, options: .alwaysMapped) == Data([1, 2, 3]))
        #expect(try Data(readingFile: empty).isEmpty)
        #expect(throws: (any Error).self) { try Data(readingFile: directory.url.appendingPathComponent("missing.bin")) }
    }
}
