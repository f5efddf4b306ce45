import Foundation
import Logging
import PaperboyCore
import PostgresNIO
import Synchronization

/// `PaperStore.lock(_:)` on PostgreSQL: a session-level advisory lock held on a connection of
/// its own. The server releases it when that session ends, however it ends: a node killed
/// with SIGKILL (its socket closes) or cut off from the database never keeps the next holder
/// waiting. Every call opens its own session, so two holders in one process exclude each
/// other too.
extension PostgresStore {
    public func lock(_ name: String) async throws -> (any StoreLock)? {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: location.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw failure("cannot connect to take the \(name) lock", error)
        }
        do {
            let taken = try await Self.single(
                Bool.self, "SELECT pg_try_advisory_lock(hashtextextended(\("paperboy:" + name), 0))", connection, logger)
            guard taken == true else {
                try? await connection.close()
                return nil
            }
            return AdvisoryLock(connection: connection)
        } catch {
            try? await connection.close()
            throw failure("cannot take the \(name) lock", error)
        }
    }
}

/// A held advisory lock: closing its session releases it.
final class AdvisoryLock: StoreLock {
    private let connection: Mutex<PostgresConnection?>

    init(connection: PostgresConnection) { self.connection = Mutex(connection) }

    func release() async {
        let held = connection.withLock { held in
            defer { held = nil }
            return held
        }
        try? await held?.close()
    }

    deinit {
        // The task keeps the connection until it is closed (postgres-nio wants it closed first).
        if let held = connection.withLock({ $0 }) { Task { try? await held.close() } }
    }
}
