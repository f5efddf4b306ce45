import Foundation
import GRDB
import PaperboyCore

extension PaperDatabase {
    public func addUpvote(to id: PaperID, voter: String) async throws -> Int? {
        try await access("cannot record a vote for \(id)") { writer in
            try await writer.write { db -> Int? in
                guard let paperID = try String.fetchOne(db, sql: """
                    SELECT id FROM papers WHERE id = coalesce((SELECT paper_id FROM paper_aliases WHERE old_id = ?1), ?1)
                    """, arguments: [id.rawValue]) else { return nil }
                try db.execute(sql: """
                    INSERT OR IGNORE INTO paper_votes (paper_id, voter, voted_at) VALUES (?, ?, ?)
                    """, arguments: [paperID, voter, Date().timeIntervalSince1970])
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM paper_votes WHERE paper_id = ?", arguments: [paperID]) ?? 0
            }
        }
    }

    public func upvoteCounts(for ids: [PaperID]) async throws -> [PaperID: Int] {
        guard !ids.isEmpty else { return [:] }
        return try await access("cannot read votes") { writer in
            try await writer.read { db in
                var counts: [PaperID: Int] = [:]
                // SQLite allows 32,766 parameters a statement; pages of 500 stay far below.
                for start in stride(from: 0, to: ids.count, by: 500) {
                    let page = ids[start..<min(ids.count, start + 500)]
                    let marks = Array(repeating: "?", count: page.count).joined(separator: ",")
                    let rows = try Row.fetchAll(db, sql: """
                        SELECT paper_id, count(*) AS votes FROM paper_votes WHERE paper_id IN (\(marks)) GROUP BY paper_id
                        """, arguments: StatementArguments(page.map(\.rawValue)))
                    for row in rows {
                        if let id = PaperID(row["paper_id"] as String) { counts[id] = row["votes"] }
                    }
                }
                return counts
            }
        }
    }
}
