import Foundation
import PaperboyCore
import PostgresNIO

/// Readers, sessions, the sign-in throttle, reset tokens and server secrets (migration
/// `v3 readers`); see `ReaderStore`.
///
/// Unlike SQLite's single writer, transactions on several nodes run side by side, so each
/// check-then-change is one statement the server makes atomic: a reset token is deleted by
/// the statement that reads it, an address or a secret is claimed by `ON CONFLICT`.
extension PostgresStore: ReaderStore {
    public func addReader(email: String, passwordHash: String, at now: Date) async throws -> Reader? {
        let email = ReaderEmail.normalized(email)
        return try await read("cannot add the reader \(email)") { connection in
            let rows = try await connection.query("""
                INSERT INTO readers (email, password_hash, created_at) VALUES (\(email), \(passwordHash), \(now.timeIntervalSince1970))
                ON CONFLICT (email) DO NOTHING RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) {
                return Reader(id: ReaderID(rawValue: id), email: email, passwordHash: passwordHash, createdAt: now)
            }
            return nil
        }
    }

    public func reader(email: String) async throws -> Reader? {
        let email = ReaderEmail.normalized(email)
        return try await read("cannot read readers") { connection in
            try await Self.reader(connection.query(
                "SELECT id, email, password_hash, created_at FROM readers WHERE email = \(email)", logger: logger))
        }
    }

    public func reader(id: ReaderID) async throws -> Reader? {
        try await read("cannot read readers") { connection in
            try await Self.reader(connection.query(
                "SELECT id, email, password_hash, created_at FROM readers WHERE id = \(id.rawValue)", logger: logger))
        }
    }

    private static func reader(_ rows: PostgresRowSequence) async throws -> Reader? {
        for try await (id, email, hash, createdAt) in rows.decode((Int64, String, String, Double).self) {
            return Reader(id: ReaderID(rawValue: id), email: email, passwordHash: hash, createdAt: Date(timeIntervalSince1970: createdAt))
        }
        return nil
    }

    public func addSession(_ session: ReaderSession) async throws {
        try await write("cannot record a session of reader \(session.reader)") { connection in
            try await connection.query("""
                INSERT INTO reader_sessions (digest, reader_id, created_at, expires_at)
                VALUES (\(session.digest), \(session.reader.rawValue), \(session.createdAt.timeIntervalSince1970),
                        \(session.expiresAt.timeIntervalSince1970))
                """, logger: logger)
            // Expired sessions of anyone go as new ones come, so the table holds live ones.
            try await connection.query("DELETE FROM reader_sessions WHERE expires_at <= \(session.createdAt.timeIntervalSince1970)",
                                       logger: logger)
        }
    }

    public func session(digest: String, at now: Date) async throws -> ReaderSession? {
        try await read("cannot read sessions") { connection in
            let rows = try await connection.query("""
                SELECT reader_id, created_at, expires_at FROM reader_sessions
                WHERE digest = \(digest) AND expires_at > \(now.timeIntervalSince1970)
                """, logger: logger)
            for try await (reader, createdAt, expiresAt) in rows.decode((Int64, Double, Double).self) {
                return ReaderSession(digest: digest, reader: ReaderID(rawValue: reader), createdAt: Date(timeIntervalSince1970: createdAt),
                                     expiresAt: Date(timeIntervalSince1970: expiresAt))
            }
            return nil
        }
    }

    public func removeSession(digest: String) async throws {
        try await read("cannot end a session") { connection in
            _ = try await connection.query("DELETE FROM reader_sessions WHERE digest = \(digest)", logger: logger)
        }
    }

    public func recordSignInFailure(keys: [String], at now: Date, forgettingBefore: Date) async throws {
        try await write("cannot count a failed sign-in") { connection in
            for key in keys {
                try await connection.query("INSERT INTO sign_in_failures (key, at) VALUES (\(key), \(now.timeIntervalSince1970))",
                                           logger: logger)
            }
            try await connection.query("DELETE FROM sign_in_failures WHERE at < \(forgettingBefore.timeIntervalSince1970)", logger: logger)
        }
    }

    public func signInFailures(key: String, since: Date, limit: Int) async throws -> [Date] {
        try await read("cannot read failed sign-ins") { connection in
            let rows = try await connection.query("""
                SELECT at FROM sign_in_failures WHERE key = \(key) AND at > \(since.timeIntervalSince1970) ORDER BY at DESC LIMIT \(limit)
                """, logger: logger)
            var failures: [Date] = []
            for try await at in rows.decode(Double.self) { failures.append(Date(timeIntervalSince1970: at)) }
            return failures
        }
    }

    public func clearSignInFailures(key: String) async throws {
        try await read("cannot clear failed sign-ins") { connection in
            _ = try await connection.query("DELETE FROM sign_in_failures WHERE key = \(key)", logger: logger)
        }
    }

    public func addResetToken(digest: String, reader: ReaderID, expiresAt: Date) async throws {
        try await read("cannot record a reset token for reader \(reader)") { connection in
            _ = try await connection.query("""
                INSERT INTO reset_tokens (digest, reader_id, expires_at) VALUES (\(digest), \(reader.rawValue), \(expiresAt.timeIntervalSince1970))
                """, logger: logger)
        }
    }

    public func resetTokenReader(digest: String, at now: Date) async throws -> ReaderID? {
        try await read("cannot read reset tokens") { connection in
            let rows = try await connection.query("""
                SELECT reader_id FROM reset_tokens WHERE digest = \(digest) AND expires_at > \(now.timeIntervalSince1970)
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { return ReaderID(rawValue: id) }
            return nil
        }
    }

    /// The token is deleted by the statement that finds it: a second request racing with the
    /// same token waits on the row, then finds it gone, and changes nothing.
    public func resetPassword(tokenDigest: String, passwordHash: String, at now: Date) async throws -> ReaderID? {
        try await write("cannot reset a password") { connection in
            let rows = try await connection.query("""
                DELETE FROM reset_tokens WHERE digest = \(tokenDigest) AND expires_at > \(now.timeIntervalSince1970) RETURNING reader_id
                """, logger: logger)
            var found: Int64?
            for try await id in rows.decode(Int64.self) { found = id }
            guard let id = found else { return nil }
            try await setPassword(of: id, passwordHash, on: connection)
            return ReaderID(rawValue: id)
        }
    }

    public func setPassword(of reader: ReaderID, passwordHash: String) async throws {
        try await write("cannot set the password of reader \(reader)") { connection in
            try await setPassword(of: reader.rawValue, passwordHash, on: connection)
        }
    }

    /// The new hash, and every session and reset token of the reader gone (the used one too).
    private func setPassword(of reader: Int64, _ passwordHash: String, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE readers SET password_hash = \(passwordHash) WHERE id = \(reader)", logger: logger)
        try await connection.query("DELETE FROM reader_sessions WHERE reader_id = \(reader)", logger: logger)
        try await connection.query("DELETE FROM reset_tokens WHERE reader_id = \(reader)", logger: logger)
    }

    /// The first process to ask writes its candidate; every other one reads that. A second
    /// process inserting at the same moment waits on the first's row, then reads it.
    public func secret(named name: String, make: @Sendable () -> [UInt8]) async throws -> [UInt8] {
        let candidate = Data(make())
        return try await write("cannot read the server secret \(name)") { connection in
            try await connection.query("""
                INSERT INTO server_secrets (name, value) VALUES (\(name), \(candidate)) ON CONFLICT (name) DO NOTHING
                """, logger: logger)
            let rows = try await connection.query("SELECT value FROM server_secrets WHERE name = \(name)", logger: logger)
            var stored: Data?
            for try await value in rows.decode(Data.self) { stored = value }
            return [UInt8](stored ?? candidate)
        }
    }
}
