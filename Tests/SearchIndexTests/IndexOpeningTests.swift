import Foundation
import Ingestion
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing
@testable import SearchIndex

/// Start-up with the real SQLite store and the real seed papers: the index file is used
/// when it is current, caught up when it is behind, and rebuilt when it is missing, corrupt
/// or from another store.
@Suite struct IndexOpeningTests {
    static func seedStore(_ directory: TemporaryDirectory, pages: ArraySlice<URL>) async throws -> PaperDatabase {
        let store = try PaperDatabase.file(at: directory.file("paperboy.sqlite"))
        for page in pages { _ = try await FileImporter(store: store).importFile(page) }
        return store
    }

    static func query(_ word: String) -> KeywordQuery {
        .anyOf([.term(word, field: .title, boost: 2), .term(word, field: .abstract, boost: 1)])
    }

    @Test func indexFollowsTheStoreFromFirstStartToCatchUp() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pages = try Fixtures.hfPages
        let store = try await Self.seedStore(directory, pages: pages.prefix(3))
        let file = directory.file("keyword.index")

        let (first, opening) = try await KeywordIndex.open(file: file, store: store)
        #expect(opening == .rebuilt(reason: "there was no index file yet"))
        #expect(first.documentCount == (try await store.statistics().papers))
        try IndexFile.save(first, to: file)

        let (second, reopening) = try await KeywordIndex.open(file: file, store: store)
        #expect(reopening == .loaded)
        #expect(second.documentCount == first.documentCount)

        // New papers arrive: the saved index catches up without a rebuild.
        for page in pages.dropFirst(3) { _ = try await FileImporter(store: store).importFile(page) }
        let total = try await store.statistics().papers
        let (third, catching) = try await KeywordIndex.open(file: file, store: store)
        guard case .caughtUp(let changed) = catching else {
            Issue.record("expected a catch-up, got \(catching)")
            return
        }
        #expect(changed > 0)
        #expect(third.documentCount == total)
        #expect(third.generation == (try await store.generation()))

        // The caught-up index finds what a fresh build finds.
        let fresh = try await KeywordIndex.build(from: store)
        for word in ["diffus", "agent", "reason", "video", "token", "quantiz"] {
            #expect(Set(third.search(Self.query(word), limit: 1_000).map(\.id)) == Set(fresh.search(Self.query(word), limit: 1_000).map(\.id)))
        }
    }

    @Test func corruptOrForeignIndexFileIsRebuiltFromTheStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.seedStore(directory, pages: try Fixtures.hfPages.prefix(1))
        let file = directory.file("keyword.index")
        let (index, _) = try await KeywordIndex.open(file: file, store: store)
        try IndexFile.save(index, to: file)

        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: file)
        let (rebuilt, opening) = try await KeywordIndex.open(file: file, store: store)
        #expect(opening == .rebuilt(reason: "the index file's checksum does not match its contents"))
        #expect(rebuilt.documentCount == index.documentCount)

        // Same generation, another store: the identity tells them apart.
        let other = TemporaryDirectory.self
        let otherDirectory = try other.init()
        defer { otherDirectory.remove() }
        let otherStore = try await Self.seedStore(otherDirectory, pages: try Fixtures.hfPages.prefix(1))
        #expect(try await otherStore.generation() == (try await store.generation()))
        try IndexFile.save(index, to: file)
        let (_, foreign) = try await KeywordIndex.open(file: file, store: otherStore)
        #expect(foreign == .rebuilt(reason: "the index file was built from another store"))

        // A file claiming a generation the store never reached (the store was restored from a backup).
        var ahead = index
        ahead.generation += 10
        try IndexFile.save(ahead, to: file)
        let (_, stale) = try await KeywordIndex.open(file: file, store: store)
        #expect(stale == .rebuilt(reason: "the index file is newer than the store (generation \(ahead.generation) > \(index.generation))"))
    }
}
