import Foundation
import PaperboyCore
import PostgresNIO

/// Harvest cursors, written in the transaction of their page's papers (see `PaperStore`).
extension PostgresStore {
    public func harvestCursor(source: String, set: String) async throws -> HarvestCursor? {
        try await read("cannot read the \(Self.describe(source: source, set: set)) harvest cursor") { connection in
            let rows = try await connection.query("""
                SELECT datestamp, resumption_token, list_from FROM harvest_cursors WHERE source = \(source) AND set_spec = \(set)
                """, logger: logger)
            for try await (datestamp, token, listFrom) in rows.decode((String?, String?, String?).self) {
                return HarvestCursor(source: source, set: set, datestamp: datestamp, resumptionToken: token, listFrom: listFrom)
            }
            return nil
        }
    }

    public func upsert(_ papers: [Paper], advancing cursor: HarvestCursor) async throws -> UpsertCounts {
        let what = """
            cannot upsert \(papers.count) papers and advance the \(Self.describe(source: cursor.source, set: cursor.set)) \
            harvest cursor (nothing was written)
            """
        let updatedAt = Int64(Date().timeIntervalSince1970)
        return try await upsert(papers, what: what) { [logger] connection in
            try await connection.query("""
                INSERT INTO harvest_cursors (source, set_spec, datestamp, resumption_token, list_from, updated_at)
                VALUES (\(cursor.source), \(cursor.set), \(cursor.datestamp), \(cursor.resumptionToken), \(cursor.listFrom), \(updatedAt))
                ON CONFLICT (source, set_spec) DO UPDATE SET datestamp = excluded.datestamp,
                    resumption_token = excluded.resumption_token, list_from = excluded.list_from, updated_at = excluded.updated_at
                """, logger: logger)
        }
    }

    /// A source and set as messages name them: `arxiv-oai set "cs"`, or the source alone for "".
    private static func describe(source: String, set: String) -> String {
        set.isEmpty ? source : "\(source) set \"\(set)\""
    }
}
