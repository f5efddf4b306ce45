import Foundation
import GRDB

extension PaperDatabase {
    /// The schema's history, applied in order by name and recorded in the database.
    ///
    /// Append-only: a migration that has shipped is never edited, only followed by a new one.
    /// Migrations hold plain SQL and no app types, so they keep meaning the same thing when the
    /// Swift model changes.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1 papers") { db in
            // One row per paper, under its strongest id. Dates are unix seconds (UTC), so they
            // sort and compare as integers. `authors` is a JSON array of {name, affiliation};
            // `categories` and `sources` are space-separated (categories primary first).
            // `title_key` recognizes a paper by title alone; it is looked up through
            // `title_hash` (64-bit FNV-1a of the key), an index a quarter the size of one on
            // the text, which matters because title keys arrive in random order. `revision` is
            // the store generation that last changed the row.
            //
            // `papers_on_published` gives the newest-first order (ties by id) without sorting;
            // `papers_on_primary_category` also covers `sources`, so statistics read indexes
            // only. Two small partial indexes serve the common lookup of an arXiv record: is
            // there a title-only or DOI-only record of the same paper? They hold only those
            // weaker records, so the probe stays in a few cached pages however large the store
            // grows.
            try db.execute(sql: """
                CREATE TABLE papers (
                    id TEXT NOT NULL PRIMARY KEY,
                    id_kind INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    abstract TEXT NOT NULL,
                    authors TEXT NOT NULL,
                    categories TEXT NOT NULL,
                    primary_category TEXT,
                    published INTEGER,
                    updated INTEGER,
                    version INTEGER,
                    doi TEXT,
                    journal_ref TEXT,
                    comments TEXT,
                    abs_url TEXT,
                    pdf_url TEXT,
                    code_url TEXT,
                    upvotes INTEGER,
                    sources TEXT NOT NULL,
                    title_key TEXT NOT NULL,
                    title_hash INTEGER NOT NULL,
                    revision INTEGER NOT NULL
                );
                CREATE INDEX papers_on_doi ON papers(doi) WHERE doi IS NOT NULL;
                CREATE INDEX papers_on_title_hash ON papers(title_hash);
                CREATE INDEX papers_on_published ON papers(published, id);
                CREATE INDEX papers_on_primary_category ON papers(primary_category, sources);
                CREATE INDEX papers_on_revision ON papers(revision, id);
                CREATE INDEX title_only_papers_on_title_hash ON papers(title_hash) WHERE id_kind = 0;
                CREATE INDEX weak_papers_on_doi ON papers(doi, id_kind DESC, id) WHERE id_kind < 2 AND doi IS NOT NULL;

                -- Every category of every paper (primary and cross-lists), for category filters.
                -- Kept in step with papers.categories by the store's writes.
                CREATE TABLE paper_categories (
                    category TEXT NOT NULL,
                    paper_id TEXT NOT NULL,
                    PRIMARY KEY (category, paper_id)
                ) WITHOUT ROWID;

                -- Ids that were merged into another paper, so they keep resolving.
                CREATE TABLE paper_aliases (
                    old_id TEXT NOT NULL PRIMARY KEY,
                    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE ON UPDATE CASCADE,
                    revision INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX paper_aliases_on_paper_id ON paper_aliases(paper_id);

                CREATE TABLE store_meta (
                    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                    generation INTEGER NOT NULL
                );
                INSERT INTO store_meta (id, generation) VALUES (1, 0);
                """)
        }

        // A random identity fixed at creation, so an index built from another store (a data
        // directory whose store was deleted and refilled) is never taken for current.
        migrator.registerMigration("v2 store identity") { db in
            try db.execute(sql: """
                ALTER TABLE store_meta ADD COLUMN store_id TEXT NOT NULL DEFAULT '';
                UPDATE store_meta SET store_id = lower(hex(randomblob(16)));
                """)
        }

        // Each paper's embedding under each model, so a restart never embeds a paper again.
        // `vector` is `dimension` little-endian Float32s, read back with one copy. `text_hash`
        // is the SHA-256 of the text embedded; the store keeps only current vectors (writes
        // that change a paper's text delete its vectors), so reads never compare it. Keyed by
        // the paper's id, the vector follows the paper when it moves to a stronger id (ON
        // UPDATE CASCADE); the primary key's index also serves those cascades, and
        // `paper_vectors_on_model` pages and counts one model's vectors without reading them.
        // A rowid table, since rows of a kilobyte and more do not belong in a WITHOUT ROWID
        // b-tree.
        migrator.registerMigration("v3 paper vectors") { db in
            try db.execute(sql: """
                CREATE TABLE paper_vectors (
                    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE ON UPDATE CASCADE,
                    model TEXT NOT NULL,
                    text_hash TEXT NOT NULL,
                    dimension INTEGER NOT NULL CHECK (dimension > 0),
                    vector BLOB NOT NULL CHECK (length(vector) = 4 * dimension),
                    PRIMARY KEY (paper_id, model)
                );
                CREATE INDEX paper_vectors_on_model ON paper_vectors(model, paper_id);
                """)
        }

        // Readers' votes: one row per (paper, voter), so a second vote by the same voter
        // changes nothing. Like vectors, votes follow their paper to a stronger id.
        migrator.registerMigration("v4 paper votes") { db in
            try db.execute(sql: """
                CREATE TABLE paper_votes (
                    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE ON UPDATE CASCADE,
                    voter TEXT NOT NULL,
                    voted_at REAL NOT NULL,
                    PRIMARY KEY (paper_id, voter)
                ) WITHOUT ROWID;
                """)
        }

        // Harvest state. A cursor per (source, set) says where the next harvest starts and,
        // mid-list, which page comes next; it is written in the transaction of the papers of
        // each page, so a crash resumes after the last committed page. Times are unix seconds,
        // like the papers' dates. The table refers to no paper: cursors outlive any paper.
        migrator.registerMigration("v5 harvest state") { db in
            try db.execute(sql: """
                CREATE TABLE harvest_cursors (
                    source TEXT NOT NULL,
                    set_spec TEXT NOT NULL,
                    datestamp TEXT,
                    resumption_token TEXT,
                    list_from TEXT,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (source, set_spec)
                ) WITHOUT ROWID
                """)
        }

        // The mail outbox: each message recorded whole before it is sent (`key` unique, so a
        // digest composed twice is recorded once), then marked sent, deferred or dropped.
        // Due pending messages are found through a partial index; sent ones cost it nothing.
        migrator.registerMigration("v6 outbox") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,
                    sender TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    message BLOB NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt REAL NOT NULL,
                    last_result TEXT,
                    created_at REAL NOT NULL,
                    finished_at REAL
                );
                CREATE INDEX outbox_due ON outbox(next_attempt, id) WHERE state = 'pending';
                """)
        }

        // Readers, their sessions, the sign-in throttle, reset tokens and server secrets.
        // Tokens are stored as SHA-256 digests only; emails are normalized before they get here.
        migrator.registerMigration("v7 readers") { db in
            try db.execute(sql: """
                CREATE TABLE readers (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    created_at REAL NOT NULL
                );
                CREATE TABLE reader_sessions (
                    digest TEXT PRIMARY KEY,
                    reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX reader_sessions_reader ON reader_sessions(reader_id);
                CREATE TABLE sign_in_failures (
                    key TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX sign_in_failures_key ON sign_in_failures(key, at);
                CREATE INDEX sign_in_failures_at ON sign_in_failures(at);
                CREATE TABLE reset_tokens (
                    digest TEXT PRIMARY KEY,
                    reader_id INTEGER NOT NULL REFERENCES readers(id) ON DELETE CASCADE,
                    expires_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX reset_tokens_reader ON reset_tokens(reader_id);
                CREATE TABLE server_secrets (
                    name TEXT PRIMARY KEY,
                    value BLOB NOT NULL
                ) WITHOUT ROWID;
                """)
        }

        // Readers' libraries. A tag belongs to one reader (`reader_id`, the account's number) and
        // is unique per reader by `folded_name`, its case-folded name, while `name` keeps the
        // reader's spelling. A save is one paper under one tag; it follows its paper to a
        // stronger id (ON UPDATE CASCADE) like votes do, and goes with its tag. Each reader's
        // library has a revision advanced by every change, kept even when the library empties,
        // so a model trained on an older revision always knows it is stale.
        migrator.registerMigration("v8 library") { db in
            try db.execute(sql: """
                CREATE TABLE library_tags (
                    id INTEGER PRIMARY KEY,
                    reader_id INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    folded_name TEXT NOT NULL,
                    UNIQUE (reader_id, folded_name)
                );
                CREATE TABLE library_saves (
                    id INTEGER PRIMARY KEY,
                    tag_id INTEGER NOT NULL REFERENCES library_tags(id) ON DELETE CASCADE,
                    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE ON UPDATE CASCADE,
                    saved_at REAL NOT NULL,
                    UNIQUE (tag_id, paper_id)
                );
                CREATE INDEX library_saves_on_paper_id ON library_saves(paper_id);
                CREATE TABLE library_revisions (
                    reader_id INTEGER NOT NULL PRIMARY KEY,
                    revision INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }

        // Digest subscriptions, one per normalized address (their links are signed with the
        // server secret `links`, see `siteSecret()`). `next_due_at`
        // is when the subscription's next period falls due (null unless confirmed), kept by
        // the store on every write, so finding due digests is one range of a partial index.
        migrator.registerMigration("v9 subscriptions") { db in
            try db.execute(sql: """
                CREATE TABLE subscriptions (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    reader_id INTEGER,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
                    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
                    weekday INTEGER,
                    send_hour INTEGER NOT NULL,
                    time_zone TEXT NOT NULL,
                    trending INTEGER NOT NULL,
                    recommendations INTEGER NOT NULL,
                    saved_searches TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    confirmed_at REAL,
                    unsubscribed_at REAL,
                    last_period TEXT,
                    last_digest_at REAL,
                    next_due_at REAL
                );
                CREATE INDEX subscriptions_due ON subscriptions(next_due_at, id) WHERE next_due_at IS NOT NULL;
                CREATE INDEX subscriptions_by_reader ON subscriptions(reader_id) WHERE reader_id IS NOT NULL;
                """)
        }

        // The sequence each vector was saved at (`store_meta.vector_sequence` counts them), so
        // a running server takes in the vectors other processes save without reading every
        // vector again. Vectors saved before are at 0: an index loaded whole holds them.
        migrator.registerMigration("v10 vector sequence") { db in
            try db.execute(sql: """
                ALTER TABLE store_meta ADD COLUMN vector_sequence INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE paper_vectors ADD COLUMN saved INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX paper_vectors_by_saved ON paper_vectors(model, saved);
                """)
        }

        // Later migrations go here, each under a new name.

        return migrator
    }
}
