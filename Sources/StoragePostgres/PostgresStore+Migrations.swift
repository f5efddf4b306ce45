import Foundation
import PaperboyCore
import Logging
import PostgresNIO

extension PostgresStore {
    /// The schema's history, applied in order and recorded in `paperboy_migrations`.
    ///
    /// Append-only, like the SQLite store's: a shipped migration is never edited, only followed
    /// by a new one. The tables mirror the SQLite store's (see `PaperDatabase+Migrations`)
    /// with PostgreSQL's types; ids compare byte by byte (`COLLATE "C"`) as in SQLite, so both
    /// stores break ties alike. Times a reader's data carries are unix seconds in `float8`.
    static let migrations: [(name: String, sql: String)] = [
        ("v1 papers", """
            CREATE TABLE store_meta (
                id integer PRIMARY KEY CHECK (id = 1),
                generation bigint NOT NULL,
                store_id text NOT NULL
            );
            INSERT INTO store_meta (id, generation, store_id)
                VALUES (1, 0, md5(random()::text || clock_timestamp()::text));

            -- One row per paper under its strongest id; lists are kept in the text forms of
            -- `PaperColumns`. `revision` is the generation that last changed the row: with
            -- `paper_aliases.revision` it is the change log other nodes catch up from.
            CREATE TABLE papers (
                id text COLLATE "C" PRIMARY KEY,
                id_kind smallint NOT NULL,
                title text NOT NULL,
                abstract text NOT NULL,
                authors text NOT NULL,
                categories text NOT NULL,
                primary_category text,
                published bigint,
                updated bigint,
                version bigint,
                doi text,
                journal_ref text,
                comments text,
                abs_url text,
                pdf_url text,
                code_url text,
                upvotes bigint,
                sources text NOT NULL,
                title_key text NOT NULL,
                revision bigint NOT NULL
            );
            CREATE INDEX papers_on_doi ON papers (doi) WHERE doi IS NOT NULL;
            CREATE INDEX papers_on_title_key ON papers USING hash (title_key);
            CREATE INDEX papers_on_published ON papers (published DESC NULLS LAST, id DESC);
            CREATE INDEX papers_on_primary_category ON papers (primary_category);
            CREATE INDEX papers_on_revision ON papers (revision, id);

            CREATE TABLE paper_categories (
                category text COLLATE "C" NOT NULL,
                paper_id text COLLATE "C" NOT NULL,
                PRIMARY KEY (category, paper_id)
            );
            CREATE INDEX paper_categories_on_paper_id ON paper_categories (paper_id);

            CREATE TABLE paper_aliases (
                old_id text COLLATE "C" PRIMARY KEY,
                paper_id text COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE ON UPDATE CASCADE,
                revision bigint NOT NULL
            );
            CREATE INDEX paper_aliases_on_paper_id ON paper_aliases (paper_id);
            CREATE INDEX paper_aliases_on_revision ON paper_aliases (revision);

            CREATE TABLE paper_vectors (
                paper_id text COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE ON UPDATE CASCADE,
                model text COLLATE "C" NOT NULL,
                text_hash text NOT NULL,
                dimension integer NOT NULL CHECK (dimension > 0),
                vector bytea NOT NULL CHECK (length(vector) = 4 * dimension),
                PRIMARY KEY (paper_id, model)
            );
            CREATE INDEX paper_vectors_on_model ON paper_vectors (model, paper_id);

            CREATE TABLE paper_votes (
                paper_id text COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE ON UPDATE CASCADE,
                voter text NOT NULL,
                voted_at float8 NOT NULL,
                PRIMARY KEY (paper_id, voter)
            );

            CREATE TABLE harvest_cursors (
                source text NOT NULL,
                set_spec text NOT NULL,
                datestamp text,
                resumption_token text,
                list_from text,
                updated_at bigint NOT NULL,
                PRIMARY KEY (source, set_spec)
            );
            """),
        ("v2 outbox", """
            CREATE TABLE outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                key text NOT NULL UNIQUE,
                sender text NOT NULL,
                recipient text NOT NULL,
                message bytea NOT NULL,
                state text NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
                attempts integer NOT NULL DEFAULT 0,
                next_attempt float8 NOT NULL,
                last_result text,
                created_at float8 NOT NULL,
                finished_at float8,
                -- Which store handed the message to its sender, and until when (see `dueMessages`).
                claimed_by text,
                claimed_until float8
            );
            CREATE INDEX outbox_due ON outbox (next_attempt, id) WHERE state = 'pending';
            """),
        ("v3 readers", """
            CREATE TABLE readers (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                email text NOT NULL UNIQUE,
                password_hash text NOT NULL,
                created_at float8 NOT NULL
            );
            CREATE TABLE reader_sessions (
                digest text PRIMARY KEY,
                reader_id bigint NOT NULL REFERENCES readers (id) ON DELETE CASCADE,
                created_at float8 NOT NULL,
                expires_at float8 NOT NULL
            );
            CREATE INDEX reader_sessions_reader ON reader_sessions (reader_id);
            CREATE TABLE sign_in_failures (
                key text NOT NULL,
                at float8 NOT NULL
            );
            CREATE INDEX sign_in_failures_key ON sign_in_failures (key, at);
            CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
            CREATE TABLE reset_tokens (
                digest text PRIMARY KEY,
                reader_id bigint NOT NULL REFERENCES readers (id) ON DELETE CASCADE,
                expires_at float8 NOT NULL
            );
            CREATE INDEX reset_tokens_reader ON reset_tokens (reader_id);
            CREATE TABLE server_secrets (
                name text PRIMARY KEY,
                value bytea NOT NULL
            );
            """),
        ("v4 library", """
            CREATE TABLE library_tags (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                reader_id bigint NOT NULL,
                name text NOT NULL,
                folded_name text NOT NULL,
                UNIQUE (reader_id, folded_name)
            );
            CREATE TABLE library_saves (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tag_id bigint NOT NULL REFERENCES library_tags (id) ON DELETE CASCADE,
                paper_id text COLLATE "C" NOT NULL REFERENCES papers (id) ON DELETE CASCADE ON UPDATE CASCADE,
                saved_at float8 NOT NULL,
                UNIQUE (tag_id, paper_id)
            );
            CREATE INDEX library_saves_on_paper_id ON library_saves (paper_id);
            CREATE TABLE library_revisions (
                reader_id bigint PRIMARY KEY,
                revision bigint NOT NULL
            );
            """),
        ("v5 subscriptions", """
            CREATE TABLE subscriptions (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                email text NOT NULL UNIQUE,
                reader_id bigint,
                state text NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
                frequency text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
                weekday integer,
                send_hour integer NOT NULL,
                time_zone text NOT NULL,
                trending boolean NOT NULL,
                recommendations boolean NOT NULL,
                saved_searches text NOT NULL,
                created_at float8 NOT NULL,
                updated_at float8 NOT NULL,
                confirmed_at float8,
                unsubscribed_at float8,
                last_period text,
                last_digest_at float8,
                next_due_at float8
            );
            CREATE INDEX subscriptions_due ON subscriptions (next_due_at, id) WHERE next_due_at IS NOT NULL;
            CREATE INDEX subscriptions_by_reader ON subscriptions (reader_id) WHERE reader_id IS NOT NULL;
            """),
        // The sequence each vector was saved at, as in the SQLite store's `v10 vector sequence`:
        // nodes take in the vectors other nodes save.
        ("v6 vector sequence", """
            ALTER TABLE store_meta ADD COLUMN vector_sequence bigint NOT NULL DEFAULT 0;
            ALTER TABLE paper_vectors ADD COLUMN saved bigint NOT NULL DEFAULT 0;
            CREATE INDEX paper_vectors_by_saved ON paper_vectors (model, saved);
            """),
    ]

    /// The key of the advisory lock migrations run under: two nodes starting at once apply
    /// each migration once, the second waiting for the first.
    private static let migrationLock: Int64 = 0x7061_7065_7262_6f79  // "paperboy"

    /// Applies the migrations the database lacks, inside the caller's transaction.
    static func migrate(_ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS paperboy_migrations (
                name text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var applied: Set<String> = []
        for try await name in try await connection.query("SELECT name FROM paperboy_migrations", logger: logger).decode(String.self) {
            applied.insert(name)
        }
        let unknown = applied.subtracting(migrations.map(\.name))
        guard unknown.isEmpty else {
            // Writing with an older schema could silently damage what the newer one relies on.
            throw PaperboyError(.storage, """
                was written by a newer Paperboy (unknown migrations: \(unknown.sorted().joined(separator: ", "))); \
                upgrade Paperboy to open it
                """)
        }
        for migration in migrations where !applied.contains(migration.name) {
            // One statement at a time: the extended protocol takes no scripts.
            for statement in migration.sql.components(separatedBy: ";\n") where !statement.allSatisfy(\.isWhitespace) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("INSERT INTO paperboy_migrations (name) VALUES (\(migration.name))", logger: logger)
        }
    }
}
