import Foundation
import PaperboyCore
import PostgresNIO

/// Reading papers and following the store's changes.
extension PostgresStore: PaperStore {
    /// The paper with this id, or the paper it was merged into.
    public func paper(id: PaperID) async throws -> Paper? {
        try await papers(ids: [id])[id]
    }

    /// The papers `ids` name, in one query: ids resolve through aliases first.
    public func papers(ids: [PaperID]) async throws -> [PaperID: Paper] {
        guard !ids.isEmpty else { return [:] }
        let asked = Array(Set(ids.map(\.rawValue)))
        return try await snapshot("cannot read \(ids.count) papers") { connection in
            var resolved: [String: String] = Dictionary(uniqueKeysWithValues: asked.map { ($0, $0) })
            for try await (old, paper) in try await connection.execute(PreparedStatements.AliasesOf(ids: asked), logger: logger) {
                resolved[old] = paper
            }
            let targets = Array(Set(resolved.values))
            var byID: [String: Paper] = [:]
            for try await columns in try await connection.execute(PreparedStatements.PapersWithIDs(ids: targets), logger: logger) {
                let paper = try columns.paper()
                byID[paper.id.rawValue] = paper
            }
            var found: [PaperID: Paper] = [:]
            for id in ids {
                if let target = resolved[id.rawValue], let paper = byID[target] { found[id] = paper }
            }
            return found
        }
    }

    /// Papers newest published first (undated last, ties by id descending), filtered by
    /// publication date and category; a bare archive (`cs`) matches its categories.
    public func papers(matching query: PaperQuery) async throws -> [Paper] {
        guard query.limit > 0 else { return [] }
        var conditions: [String] = []
        var bindings = PostgresBindings()
        func parameter(_ value: some PostgresDynamicTypeEncodable) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
        if let since = query.since {
            conditions.append("published >= \(parameter(since.timeIntervalSince1970))")
        }
        if let until = query.until {
            conditions.append("published < \(parameter(until.timeIntervalSince1970))")
        }
        if let category = query.category {
            // `cs` is an archive: it also matches every `cs.*` category, the range ["cs.", "cs/").
            conditions.append("""
                id IN (SELECT paper_id FROM paper_categories WHERE category = \(parameter(category)) \
                OR (category >= \(parameter(category + ".")) AND category < \(parameter(category + "/"))))
                """)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = """
            SELECT \(PaperRows.selection) FROM papers \(filter)
            ORDER BY published DESC NULLS LAST, id DESC LIMIT \(parameter(Int64(query.limit)))
            """
        return try await read("cannot list papers") { connection in
            try await PaperRows.papers(try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger))
        }
    }

    /// Totals for `paperboy stats`, with the database's size on disk.
    public func statistics() async throws -> StoreStatistics {
        try await snapshot("cannot compute statistics") { connection in
            var papers = 0
            var earliest: Int64?
            var latest: Int64?
            var size: Int64?
            let totals = try await connection.query("""
                SELECT count(*), min(published), max(published), pg_database_size(current_database()) FROM papers
                """, logger: logger)
            for try await (count, first, last, bytes) in totals.decode((Int64, Int64?, Int64?, Int64).self) {
                papers = Int(count)
                earliest = first
                latest = last
                size = bytes
            }
            var bySource: [String: Int] = [:]
            let sources = try await connection.query("SELECT sources, count(*) FROM papers GROUP BY sources", logger: logger)
            for try await (combination, count) in sources.decode((String, Int64).self) {
                for source in combination.split(separator: " ") { bySource[String(source), default: 0] += Int(count) }
            }
            var categories: [CategoryCount] = []
            let top = try await connection.query("""
                SELECT primary_category, count(*) AS papers FROM papers WHERE primary_category IS NOT NULL
                GROUP BY primary_category ORDER BY papers DESC, primary_category LIMIT 10
                """, logger: logger)
            for try await (category, count) in top.decode((String, Int64).self) {
                categories.append(CategoryCount(category: category, papers: Int(count)))
            }
            return StoreStatistics(
                papers: papers, papersBySource: bySource, topCategories: categories,
                earliestPublished: earliest.map(PaperColumns.date), latestPublished: latest.map(PaperColumns.date),
                sizeOnDisk: size)
        }
    }

    // MARK: - Change tracking

    /// A random identity fixed when the database was created.
    public func identity() async throws -> String {
        try await read("cannot read the store identity") { connection in
            try await Self.single(String.self, "SELECT store_id FROM store_meta WHERE id = 1", connection, logger) ?? ""
        }
    }

    /// 0 for an empty store, advanced by every write that changed a paper.
    public func generation() async throws -> Int64 {
        try await read("cannot read the generation") { connection in
            try await Self.generation(connection, logger)
        }
    }

    /// Papers changed after generation `revision`, oldest change first, in pages holding whole
    /// generations, read in one snapshot so the page and the generation it reaches agree.
    public func papersChanged(since revision: Int64, limit: Int) async throws -> PaperChanges {
        let limit = max(1, limit)
        return try await snapshot("cannot list papers changed since generation \(revision)") { connection in
            var papers = try await PaperRows.papers(try await connection.query("""
                SELECT \(unescaped: PaperRows.selection) FROM papers WHERE revision > \(revision)
                ORDER BY revision, id LIMIT \(Int64(limit))
                """, logger: logger))
            let reached: Int64
            if papers.count < limit {
                reached = try await Self.generation(connection, logger)
            } else {
                // Complete the last generation, so the next page can start after it.
                let last = papers[papers.count - 1].id.rawValue
                reached = try await Self.single(Int64.self, "SELECT revision FROM papers WHERE id = \(last)", connection, logger) ?? revision
                papers += try await PaperRows.papers(try await connection.query("""
                    SELECT \(unescaped: PaperRows.selection) FROM papers WHERE revision = \(reached) AND id > \(last) ORDER BY id
                    """, logger: logger))
            }
            var retired: [PaperID] = []
            let aliases = try await connection.query("""
                SELECT old_id FROM paper_aliases WHERE revision > \(revision) AND revision <= \(reached)
                ORDER BY revision, old_id
                """, logger: logger)
            for try await old in aliases.decode(String.self) {
                if let id = PaperID(old) { retired.append(id) }
            }
            return PaperChanges(papers: papers, retiredIDs: retired, revision: reached)
        }
    }

    static func generation(_ connection: PostgresConnection, _ logger: Logger) async throws -> Int64 {
        for try await generation in try await connection.execute(PreparedStatements.Generation(), logger: logger) {
            return generation
        }
        return 0
    }

    /// The first column of the first row, or nil when there is none.
    static func single<T: PostgresDecodable & Sendable>(
        _ type: T.Type, _ query: PostgresQuery, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> T? {
        for try await value in try await connection.query(query, logger: logger).decode(T.self) { return value }
        return nil
    }
}
