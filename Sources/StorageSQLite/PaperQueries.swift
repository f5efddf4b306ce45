import Foundation
import GRDB
import PaperboyCore

/// The store's read queries, each run inside one read transaction so it sees one snapshot.
enum PaperQueries {
    /// A category with at least this many listed papers is "broad": listing it walks the
    /// publication index newest first and stops at the limit, instead of sorting every match.
    static let broadCategoryRows = 2000

    /// See `PaperDatabase.papers(matching:)`.
    ///
    /// A narrow category is listed from `paper_categories` and sorted; a broad one (or no
    /// category) by walking `papers_on_published` backwards, testing each paper's category
    /// list, so the cost follows the limit rather than the size of the category.
    static func papers(_ db: Database, matching query: PaperQuery) throws -> [Paper] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let since = query.since {
            conditions.append("published >= ?")
            arguments += [since.timeIntervalSince1970]
        }
        if let until = query.until {
            conditions.append("published < ?")
            arguments += [until.timeIntervalSince1970]
        }
        if let category = query.category {
            // `cs` is an archive: it also matches every `cs.*` category, the range ["cs.", "cs/").
            let range: StatementArguments = [category, category + ".", category + "/"]
            let listed = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT 1 FROM paper_categories
                WHERE category = ? OR (category >= ? AND category < ?) LIMIT \(broadCategoryRows))
                """, arguments: range) ?? 0
            if listed < broadCategoryRows {
                conditions.append("""
                    id IN (SELECT paper_id FROM paper_categories WHERE category = ? OR (category >= ? AND category < ?))
                    """)
                arguments += range
            } else {
                conditions.append("""
                    (instr(' ' || categories || ' ', ' ' || ? || ' ') > 0 OR instr(' ' || categories, ' ' || ? || '.') > 0)
                    """)
                arguments += [category, category]
            }
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // SQLite sorts NULL lowest, so a descending order puts undated papers last.
        let statement = try db.cachedStatement(sql: """
            SELECT \(PaperRow.selection) FROM papers \(filter)
            ORDER BY published DESC, id DESC LIMIT ?
            """)
        arguments += [query.limit]
        return try StoredPaper.fetchAll(statement, arguments: arguments).map { try $0.paper() }
    }

    /// See `PaperDatabase.generation()`.
    static func generation(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT generation FROM store_meta WHERE id = 1") ?? 0
    }

    /// See `PaperDatabase.identity()`.
    static func identity(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT store_id FROM store_meta WHERE id = 1") ?? ""
    }

    /// See `PaperDatabase.papersChanged(since:limit:)`.
    static func changes(_ db: Database, since revision: Int64, limit: Int) throws -> PaperChanges {
        var papers = try StoredPaper.fetchAll(db, sql: """
            SELECT \(PaperRow.selection) FROM papers WHERE revision > ? ORDER BY revision, id LIMIT ?
            """, arguments: [revision, limit]).map { try $0.paper() }
        let reached: Int64
        if papers.count < limit {
            reached = try generation(db)
        } else {
            // Complete the last generation, so the next page can start after it.
            let last = papers[papers.count - 1].id.rawValue
            reached = try Int64.fetchOne(db, sql: "SELECT revision FROM papers WHERE id = ?", arguments: [last]) ?? revision
            papers += try StoredPaper.fetchAll(db, sql: """
                SELECT \(PaperRow.selection) FROM papers WHERE revision = ? AND id > ? ORDER BY id
                """, arguments: [reached, last]).map { try $0.paper() }
        }
        let retired = try String.fetchAll(db, sql: """
            SELECT old_id FROM paper_aliases WHERE revision > ? AND revision <= ? ORDER BY revision, old_id
            """, arguments: [revision, reached])
        return PaperChanges(papers: papers, retiredIDs: retired.compactMap { PaperID($0) }, revision: reached)
    }

    /// See `PaperDatabase.statistics()`; `sizeOnDisk` is left for the caller, who knows the file.
    ///
    /// Every figure comes from an index (`papers_on_primary_category` covers the sources), so
    /// statistics never read the papers themselves.
    static func statistics(_ db: Database) throws -> StoreStatistics {
        let papers = try Int.fetchOne(db, sql: "SELECT count(*) FROM papers") ?? 0
        // Separate subqueries, so each uses the index's first or last entry.
        let span = try Row.fetchOne(db, sql: """
            SELECT (SELECT min(published) FROM papers), (SELECT max(published) FROM papers)
            """)
        var bySource: [String: Int] = [:]
        let combinations = try Row.fetchAll(db, sql: """
            SELECT sources, count(*) FROM papers GROUP BY sources
            """)
        for row in combinations {
            let count = try row.decode(Int.self, atIndex: 1)
            for source in try row.decode(String.self, atIndex: 0).split(separator: " ") {
                bySource[String(source), default: 0] += count
            }
        }
        let categories = try Row.fetchAll(db, sql: """
            SELECT primary_category, count(*) AS papers FROM papers WHERE primary_category IS NOT NULL
            GROUP BY primary_category ORDER BY papers DESC, primary_category LIMIT 10
            """).map { CategoryCount(category: try $0.decode(String.self, atIndex: 0), papers: try $0.decode(Int.self, atIndex: 1)) }
        return StoreStatistics(
            papers: papers, papersBySource: bySource, topCategories: categories,
            earliestPublished: try span?.decode(Int64?.self, atIndex: 0).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            latestPublished: try span?.decode(Int64?.self, atIndex: 1).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            sizeOnDisk: nil)
    }
}
