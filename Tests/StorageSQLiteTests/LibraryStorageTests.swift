import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// The SQLite library: every shared library behaviour against a real file, and a library
/// that outlives the process that saved it.
struct LibraryStorageTests {
    @Test(arguments: LibraryStoreBehaviour.all.map(\.name))
    func libraryBehaviour(_ name: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try await LibraryStoreBehaviour.run(name, on: try PaperDatabase.file(at: dir.file("paperboy.sqlite")))
    }

    @Test func savedPapersSurviveReopening() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let papers = SamplePapers.generated(count: 2)
        let before: ReaderLibrary
        do {
            let store = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
            _ = try await store.upsert(papers)
            _ = try await store.save(papers.map(\.id), under: LibraryStoreBehaviour.tag("MoE"), for: LibraryStoreBehaviour.ada,
                                     at: LibraryStoreBehaviour.start)
            before = try await store.library(of: LibraryStoreBehaviour.ada)
        }
        let reopened = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
        #expect(try await reopened.library(of: LibraryStoreBehaviour.ada) == before)
        #expect(before.saved.count == 2)
    }
}
