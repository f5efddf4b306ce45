import Foundation
import PaperboyCore
import PaperboyTesting
import Testing

@Suite struct LeftoverTemporariesTests {
    @Test func onlyTemporariesOfProcessesThatAreGoneAreRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let gone = try Fixtures.finishedProcessID()
        let names = [".keyword.index.\(gone).tmp", ".keyword.index.1.tmp", ".keyword.index.x.tmp", "keyword.index",
                     ".other.index.\(gone).tmp"]
        for name in names { _ = try directory.write(name, Data([1])) }
        LeftoverTemporaries.remove(in: directory.url.path, prefix: ".keyword.index.", suffix: ".tmp")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.url.path))
        #expect(left == [".keyword.index.1.tmp", ".keyword.index.x.tmp", "keyword.index", ".other.index.\(gone).tmp"])
    }
}
