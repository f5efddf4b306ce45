import Foundation
import GRDB
import PaperboyCore
import PaperboyTesting
@testable import StorageSQLite
import Testing

/// Reading stored rows back, and recognizing in place that a row already holds a record.
struct StoredPaperTests {
    /// Whether the stored row of `stored` holds each of `candidates`, compared in place.
    private func rowHolds(_ candidates: [Paper], storing stored: Paper) async throws -> [Bool] {
        let store = try PaperDatabase.inMemory()
        _ = try await store.upsert([stored])
        return try await store.writer.read { db in
            let statement = try RawStatement(db, sql: "SELECT \(PaperRow.selection) FROM papers WHERE id = ?1")
            statement.bind(stored.id.rawValue, at: 1)
            var scratch: [UInt8] = []
            return try statement.fetchFirst { row in
                candidates.map { StoredPaper.row(row, holds: PaperRow.normalized($0), scratch: &scratch) }
            } ?? []
        }
    }

    @Test func rowHoldsTheRecordItWasWrittenFrom() async throws {
        let paper = SamplePapers.everyField
        #expect(try await rowHolds([paper], storing: paper) == [true])
    }

    @Test func anyChangedFieldIsSeen() async throws {
        let paper = SamplePapers.everyField
        let changes: [(String, (inout Paper) -> Void)] = [
            ("title", { $0.title += "!" }), ("abstract", { $0.abstract = "" }),
            ("authors", { $0.authors.removeLast() }), ("affiliation", { $0.authors[0].affiliation = nil }),
            ("author order", { $0.authors.swapAt(0, 1) }), ("categories", { $0.categories.removeLast() }),
            ("category order", { $0.categories.swapAt(0, 1) }), ("published", { $0.published = nil }),
            ("updated", { $0.updated = $0.updated?.addingTimeInterval(1) }), ("version", { $0.version = 4 }),
            ("doi", { $0.doi = nil }), ("journal-ref", { $0.journalRef = "" }), ("comments", { $0.comments = nil }),
            ("abstract link", { $0.links.abstract = nil }), ("pdf link", { $0.links.pdf = "https://x" }),
            ("code link", { $0.links.code = nil }), ("upvotes", { $0.upvotes = 18 }), ("sources", { $0.sources = [.arxivAPI] }),
        ]
        let changed = changes.map { change in
            var copy = paper
            change.1(&copy)
            return copy
        }
        let holds = try await rowHolds(changed, storing: paper)
        for (change, held) in zip(changes, holds) {
            #expect(!held, "a change of \(change.0) went unseen")
        }
    }

    @Test func normalizationKeepsWholeSecondsAndSingleWordCategories() {
        var paper = SamplePapers.arxiv("2401.00001", categories: ["cs.CL  cs.LG", " ", "stat.ML\u{1}"])
        paper.published = Date(timeIntervalSince1970: 100.9)
        let normalized = PaperRow.normalized(paper)
        #expect(normalized.categories == ["cs.CL", "cs.LG", "stat.ML"])
        #expect(normalized.published == Date(timeIntervalSince1970: 100))
        #expect(PaperRow.normalized(normalized) == normalized)
    }
}
