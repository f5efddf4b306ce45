import Foundation
import Ingestion
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// Imports into a real store of the arXiv snapshot's papers: every line of a reference
/// manager's file is accounted for, and an export imported by another reader gives the
/// same library.
struct LibraryImporterTests {
    static let ada = ReaderID(rawValue: 1), grace = ReaderID(rawValue: 2)
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func snapshotStore() async throws -> PaperDatabase {
        let store = try PaperDatabase.inMemory()
        _ = try await FileImporter(store: store)
            .importFile(Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"))
        return store
    }

    @Test func everyLineOfAReferenceManagerFileIsAccountedFor() async throws {
        let store = try await Self.snapshotStore()
        let text = try String(contentsOf: Fixtures.projectRoot.appendingPathComponent("Tests/Fixtures/library/reference-manager.bib"),
                              encoding: .utf8)
        let report = try await LibraryImporter(store: store)
            .importText(text, for: Self.ada, into: try LibraryTag("physics"), keepingFileTags: false, at: Self.now)
        #expect(report.imported.map { "\($0.line) \($0.paper)" } == [
            "11 0704.0001", "25 0704.0002", "32 0704.0003", "44 0704.0004", "54 0704.0005",
            "63 0704.0006", "77 0704.0007", "83 0704.0008",  // the last found by its journal DOI
        ])
        #expect(report.imported.allSatisfy { $0.tag == "physics" && !$0.wasSaved })
        #expect(report.skipped.map(\.description) == [
            "line 71: @article{broken2007}: expected a comma or the entry's end after the field title",
            "line 91: 2401.99999 is not in this Paperboy",
            "line 97: nokey has no arXiv id, DOI or title to find the paper by",
        ])
        #expect(try await store.tagSummaries(of: Self.ada) == [TagSummary(name: "physics", count: 8, lastSaved: Self.now)])

        // Again: nothing new, everything already there.
        let again = try await LibraryImporter(store: store)
            .importText(text, for: Self.ada, into: try LibraryTag("Physics"), keepingFileTags: false, at: Self.now)
        #expect(again.imported.count == 8 && again.imported.allSatisfy(\.wasSaved))
    }

    @Test func anExportImportedByAnotherReaderGivesTheSameLibrary() async throws {
        let store = try await Self.snapshotStore()
        let ids = (1...6).map { PaperID(String(format: "0704.%04d", $0))! }
        _ = try await store.save(Array(ids[0..<4]), under: try LibraryTag("to read"), for: Self.ada, at: Self.now)
        _ = try await store.save([ids[2], ids[4]], under: try LibraryTag("MoE"), for: Self.ada, at: Self.now + 1)
        _ = try await store.save([ids[5]], under: try LibraryTag("Graphs & <b>bold</b>"), for: Self.ada, at: Self.now + 2)
        let library = try await store.library(of: Self.ada)
        let papers = try await store.papers(ids: ids)

        let bib = LibraryExport.bibTeX(library.tagsByPaper.map { (paper: papers[$0.paper]!, tags: $0.tags) })
        let list = LibraryExport.idList(library.tags)
        for (reader, text) in [(ReaderID(rawValue: 2), bib), (ReaderID(rawValue: 3), list)] {
            let report = try await LibraryImporter(store: store)
                .importText(text, for: reader, into: .toRead, keepingFileTags: true, at: Self.now)
            #expect(report.skipped.isEmpty)
            let copy = try await store.library(of: reader)
            #expect(Set(LibraryStoreBehaviour.pairs(copy)) == Set(LibraryStoreBehaviour.pairs(library)))
            #expect(copy.saved.count == library.saved.count)
            #expect(try await store.tagSummaries(of: reader).map { "\($0.name) \($0.count)" }
                    == (try await store.tagSummaries(of: Self.ada)).map { "\($0.name) \($0.count)" })
        }
    }
}
