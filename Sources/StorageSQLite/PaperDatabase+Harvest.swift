import Foundation
import GRDB
import PaperboyCore

/// Harvest cursors in `harvest_cursors` and leases in `harvest_leases` (migration
/// `v5 harvest state`).
///
/// A cursor is written by the same `BatchUpsert` transaction as its page of papers, so the store
/// never holds a page without its cursor or a cursor ahead of its papers. A lease is checked and
/// taken in one write transaction: GRDB begins writes with `BEGIN IMMEDIATE`, which takes the
/// file's write lock before the read, so a second process waits (busy timeout) and then sees the
/// first one's lease. Neither cursors nor leases are paper changes: they leave
/// `store_meta.generation` alone.
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
            let updatedAt = Self.unixSeconds(Date(), .down)
            return try await Self.upsert(papers, in: writer) { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO harvest_cursors (source, set_spec, datestamp, resumption_token, list_from, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [cursor.source, cursor.set, cursor.datestamp, cursor.resumptionToken, cursor.listFrom,
                                     updatedAt])
            }
        }
    }

    /// Takes or renews the lease when it is free, expired or `holder`'s; see
    /// `PaperStore.claimLease(_:holder:until:now:)`. The expiry is stored rounded up and `now`
    /// compared rounded down, so a lease never ends before the instant it was granted until.
    public func claimLease(_ name: String, holder: String, until expiry: Date, now: Date) async throws -> Bool {
        let expiresAt = Self.unixSeconds(expiry, .up), nowSeconds = Self.unixSeconds(now, .down)
        return try await access("cannot claim the harvest lease \(name) for \(holder)") { writer in
            try await writer.write { db -> Bool in
                if let current = try Row.fetchOne(db, sql: "SELECT holder, expires_at FROM harvest_leases WHERE name = ?",
                                                  arguments: [name]),
                   current["holder"] as String != holder, current["expires_at"] as Int64 > nowSeconds {
                    return false
                }
                try db.execute(sql: """
                    INSERT OR REPLACE INTO harvest_leases (name, holder, expires_at) VALUES (?, ?, ?)
                    """, arguments: [name, holder, expiresAt])
                return true
            }
        }
    }

    /// Frees the lease if `holder` holds it; see `PaperStore.releaseLease(_:holder:)`.
    public func releaseLease(_ name: String, holder: String) async throws {
        try await access("cannot release the harvest lease \(name) of \(holder)") { writer in
            try await writer.write { db in
                try db.execute(sql: "DELETE FROM harvest_leases WHERE name = ? AND holder = ?", arguments: [name, holder])
            }
        }
    }

    /// A source and set as messages name them: `arxiv-oai set "cs"`, or the source alone for "".
    private static func describe(source: String, set: String) -> String {
        set.isEmpty ? source : "\(source) set \"\(set)\""
    }

    /// Unix seconds of `date` rounded by `rule`, clamped to what the column holds.
    private static func unixSeconds(_ date: Date, _ rule: FloatingPointRoundingRule) -> Int64 {
        let seconds = date.timeIntervalSince1970.rounded(rule)
        return Int64(exactly: seconds) ?? (seconds < 0 ? Int64.min : Int64.max)
    }
}
