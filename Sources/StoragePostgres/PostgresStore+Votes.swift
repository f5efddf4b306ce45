import Foundation
import PaperboyCore
import PostgresNIO

/// Readers' votes, one per voter and paper; they follow their paper to a stronger id.
extension PostgresStore {
    public func addUpvote(to id: PaperID, voter: String) async throws -> Int? {
        try await write("cannot record a vote for \(id)") { connection -> Int? in
            guard let paperID = try await Self.single(String.self, """
                SELECT id FROM papers WHERE id = coalesce((SELECT paper_id FROM paper_aliases WHERE old_id = \(id.rawValue)), \(id.rawValue))
                FOR SHARE
                """, connection, logger) else { return nil }
            try await connection.query("""
                INSERT INTO paper_votes (paper_id, voter, voted_at) VALUES (\(paperID), \(voter), \(Date().timeIntervalSince1970))
                ON CONFLICT DO NOTHING
                """, logger: logger)
            return Int(try await Self.single(Int64.self, "SELECT count(*) FROM paper_votes WHERE paper_id = \(paperID)", connection, logger) ?? 0)
        }
    }

    public func upvoteCounts(for ids: [PaperID]) async throws -> [PaperID: Int] {
        guard !ids.isEmpty else { return [:] }
        return try await read("cannot read votes") { connection in
            var counts: [PaperID: Int] = [:]
            let rows = try await connection.query("""
                SELECT paper_id, count(*) FROM paper_votes WHERE paper_id = ANY(\(ids.map(\.rawValue))) GROUP BY paper_id
                """, logger: logger)
            for try await (id, votes) in rows.decode((String, Int64).self) {
                if let id = PaperID(id) { counts[id] = Int(votes) }
            }
            return counts
        }
    }
}
