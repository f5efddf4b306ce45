import Foundation
import GRDB
import PaperboyCore
import PaperboyTesting
import Testing
@testable import StorageSQLite

/// A bulk load into an empty store defers its costliest indexes and builds them at the end;
/// a load killed midway leaves a store that rebuilds them when next opened.
struct BulkLoadTests {
    private static func indexNames(_ file: URL) throws -> Set<String> {
        let queue = try DatabaseQueue(path: file.path)
        return try queue.read { db in
            Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
        }
    }

    private static let deferred = Set(PaperDatabase.deferredIndexes.map(\.name))

    @Test func bulkLoadIntoAnEmptyStoreDefersIndexesAndBuildsThemAtTheEnd() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("papers.sqlite")
        let store = try PaperDatabase.file(at: file)
        try await store.beginBulkLoad()
        #expect(try Self.indexNames(file).isDisjoint(with: Self.deferred))
        let counts = try await store.upsert(SamplePapers.generated(count: 500) + SamplePapers.generated(count: 10))
        #expect(counts == UpsertCounts(inserted: 500, updated: 0, unchanged: 10))
        try await store.endBulkLoad()
        #expect(try Self.indexNames(file).isSuperset(of: Self.deferred))
        #expect(try await store.papers(matching: PaperQuery(limit: 1000)).count == 500)
    }

    @Test func bulkLoadIntoAStoreWithPapersKeepsEveryIndex() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("papers.sqlite")
        let store = try PaperDatabase.file(at: file)
        _ = try await store.upsert(SamplePapers.generated(count: 3))
        try await store.beginBulkLoad()
        #expect(try Self.indexNames(file).isSuperset(of: Self.deferred))
        try await store.endBulkLoad()
    }

    @Test func aStoreLeftMidBulkLoadRebuildsItsIndexesWhenOpened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("papers.sqlite")
        do {
            let store = try PaperDatabase.file(at: file)
            try await store.beginBulkLoad()
            _ = try await store.upsert(SamplePapers.generated(count: 100))
            // No endBulkLoad: the process "died" here.
        }
        #expect(try Self.indexNames(file).isDisjoint(with: Self.deferred))
        let reopened = try PaperDatabase.file(at: file)
        #expect(try Self.indexNames(file).isSuperset(of: Self.deferred))
        #expect(try await reopened.statistics().papers == 100)
    }
}
