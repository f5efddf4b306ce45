import PaperboyCore
import PostgresNIO

/// The statements every search and every refresher tick runs, prepared once per connection
/// (named server-side prepared statements: parsed and planned once, then only bound and
/// executed). The rest run as unnamed statements of the extended protocol, always with bound
/// parameters.
enum PreparedStatements {
    /// The store's generation (`PostgresStore.generation()`), asked on every tick and health check.
    struct Generation: PostgresPreparedStatement {
        static let name = "paperboy_generation"
        static let sql = "SELECT generation FROM store_meta WHERE id = 1"
        typealias Row = Int64

        func makeBindings() -> PostgresBindings { PostgresBindings() }
        func decodeRow(_ row: PostgresRow) throws -> Int64 { try row.decode(Int64.self) }
    }

    /// Where ids merged away went (`old_id`, `paper_id`), for a page of search hits.
    struct AliasesOf: PostgresPreparedStatement {
        static let name = "paperboy_aliases_of"
        static let sql = "SELECT old_id, paper_id FROM paper_aliases WHERE old_id = ANY($1)"
        typealias Row = (String, String)
        let ids: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(ids)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> (String, String) { try row.decode((String, String).self) }
    }

    /// The papers of a page of search hits, by id.
    struct PapersWithIDs: PostgresPreparedStatement {
        static let name = "paperboy_papers_with_ids"
        static let sql = "SELECT \(PaperRows.selection) FROM papers WHERE id = ANY($1)"
        typealias Row = PaperColumns
        let ids: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(ids)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PaperColumns { try PaperRows.decode(row) }
    }
}
