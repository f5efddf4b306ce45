import Foundation
import Logging
import PaperboyCore
import PostgresNIO
import Synchronization

/// The paper store on PostgreSQL, for several Paperboy processes (nodes) over one database.
///
/// The same contracts as the embedded SQLite store (`PaperStore`, `OutboxStore`,
/// `ReaderStore`, `LibraryStore`, `SubscriptionStore`; the shared behaviour suites run against
/// both). What differs is concurrency: writers on several nodes take turns on the
/// `store_meta` row, so generations are handed out in commit order and a node following
/// `papersChanged(since:limit:)` never skips a change; each changing write notifies the
/// `paperboy_changes` channel at commit (`announcedChanges()` listens) so other nodes catch up at
/// once instead of at their next poll.
///
/// A pool of connections (postgres-nio's `PostgresClient`) runs for the life of the value.
public final class PostgresStore: Sendable {
    /// Where the store lives, for messages (no password).
    public let location: PostgresLocation
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    /// The channel every changing write notifies, with the new generation as payload.
    public static let changeChannel = "paperboy_changes"

    private init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
        let client = PostgresClient(configuration: location.clientConfiguration(), backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// Connects to the database at `url` and brings its schema up to date (several nodes
    /// starting at once take turns: migrations run under an advisory lock).
    ///
    /// - Throws: `PaperboyError` naming the server when it cannot be reached, or when the
    ///   database was written by a newer Paperboy.
    public static func open(url: String, logger: Logger = Logger(label: "paperboy.postgres")) async throws -> PostgresStore {
        try await open(PostgresLocation(url: url), logger: logger)
    }

    public static func open(_ location: PostgresLocation, logger: Logger = Logger(label: "paperboy.postgres")) async throws -> PostgresStore {
        // The pool starts first, so it runs by the time the migrations are done.
        let store = PostgresStore(location: location, logger: logger)
        // A first connection of its own, so an unreachable server or wrong credentials fail at
        // once with the reason, instead of a pool retrying in the background.
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: location.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw PaperboyError(.storage, "\(location): cannot connect: \(explain(error))", cause: error)
        }
        do {
            try await connection.query("BEGIN", logger: logger)
            try await migrate(connection, logger)
            try await connection.query("COMMIT", logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw PaperboyError(.storage, "\(location): cannot bring the database schema up to date: \(explain(error))", cause: error)
        }
        return store
    }

    // MARK: - Access

    /// Runs `body` on a pooled connection outside any transaction (one statement, or reads
    /// that need not agree with each other).
    func read<T: Sendable>(_ what: @autoclosure () -> String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await pooled(body)
        } catch {
            throw failure(what(), error)
        }
    }

    /// Runs `body` in one REPEATABLE READ, read-only transaction: every query sees the same
    /// snapshot (a generation and the papers it covers agree).
    func snapshot<T: Sendable>(_ what: @autoclosure () -> String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what(), body)
    }

    /// Runs `body` in one read-write transaction: all of it commits or none of it.
    func write<T: Sendable>(_ what: @autoclosure () -> String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction("BEGIN", what(), body)
    }

    private func transaction<T: Sendable>(
        _ begin: PostgresQuery, _ what: @autoclosure () -> String, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await pooled { connection in
                try await connection.query(begin, logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return value
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            throw failure(what(), error)
        }
    }

    /// Runs `body` on a pooled connection, failing with `.storage` when none is handed out
    /// within the location's `connectTimeout`. The pool waits for a connection as long as it
    /// takes, and while the server is unreachable that is forever: a page or `/healthz` must
    /// answer with the failure instead of hanging. Only the wait is bounded: a long write,
    /// once it has its connection, runs to its end.
    private func pooled<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let leased = Leased()
        // The body runs in a child task, which ends before this function returns: it never
        // outlives the call, and runs in one task at a time.
        return try await withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { [client] in
                    try await client.withConnection { connection in
                        leased.set()
                        return try await work.value(connection)
                    }
                }
                group.addTask { [location] in
                    try await Task.sleep(for: location.connectTimeout)
                    guard leased.isSet else {
                        throw PaperboyError(.storage, "no connection to the server within \(location.connectTimeout): it is unreachable or every connection is busy")
                    }
                    return nil
                }
                while let result = try await group.next() {
                    if let value = result {
                        group.cancelAll()
                        return value
                    }
                }
                throw CancellationError()
            }
        }
    }

    /// A failure as a `PaperboyError` naming the store and what failed: an error the store
    /// raised itself keeps its code, the server's errors become `.storage` with its message.
    func failure(_ what: String, _ error: any Error) -> PaperboyError {
        if let error = error as? PaperboyError {
            return PaperboyError(error.code, "\(location): \(what): \(error.message)", cause: error.cause)
        }
        return PaperboyError(.storage, "\(location): \(what): \(Self.explain(error))", cause: error)
    }

    /// One readable sentence for a postgres-nio error: the server's message and SQL state
    /// when it answered, else what went wrong with the connection.
    static func explain(_ error: any Error) -> String {
        if let error = error as? PaperboyError { return error.message }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }

    /// Whether `error` is the server refusing a duplicate key (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}

/// Whether a pooled request got its connection (set once, read by its watchdog).
private final class Leased: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var isSet: Bool { flag.withLock { $0 } }
}

/// A value handed to a child task that the compiler cannot prove safe to share; see `pooled`.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
