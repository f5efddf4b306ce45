import Foundation
import GRDB
import PaperboyCore

/// Harvest cursors in `harvest_cursors` (migration `v5 harvest state`).
///
/// A cursor is written by the same `BatchUpsert` transaction as its page of papers, so the store
/// never holds a page without its cursor or a cursor ahead of its papers. Cursors are not paper
/// changes: they leave `store_meta.generation` alone.
extension PaperDatabase {
    /// The cursor stored for `source` and `set`; see `PaperStore.harvestCursor(source:set:)`.
    public func harvestCursor(source: String, set: String) async throws -> HarvestCursor? {
        try await access("cannot read the \(Self.describe(source: source, set: set)) harvest cursor") { writer in
            try await writer.read { db -> HarvestCursor? in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT datestamp, resumption_token, list_from FROM harvest_cursors WHERE source = ? AND set_spec = ?
                    """, arguments: [source, set]) else { return nil }
                return HarvestCursor(source: source, set: set, datestamp: row["datestamp"],
                                     resumptionToken: row["resumption_token"], listFrom: row["list_from"])
            }
        }
    }

    /// Merges a page of papers and stores its cursor in one transaction; see
    /// `PaperStore.upsert(_:advancing:)`. The generation moves only when a paper changed.
    public func upsert(_ papers: [Paper], advancing cursor: HarvestCursor) async throws -> UpsertCounts {
        let what = """
            cannot upsert \(papers.count) papers and advance the \(Self.describe(source: cursor.source, set: cursor.set)) \
            harvest cursor (nothing was written)
            """
        return try await access(what) { writer in
            let updatedAt = Int64(Date().timeIntervalSince1970)
            return try await Self.upsert(papers, in: writer) { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO harvest_cursors (source, set_spec, datestamp, resumption_token, list_from, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [cursor.source, cursor.set, cursor.datestamp, cursor.resumptionToken, cursor.listFrom,
                                     updatedAt])
            }
        }
    }

    /// A source and set as messages name them: `arxiv-oai set "cs"`, or the source alone for "".
    private static func describe(source: String, set: String) -> String {
        set.isEmpty ? source : "\(source) set \"\(set)\""
    }
}
