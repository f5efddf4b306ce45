import Foundation
import GRDB
import PaperboyCore

/// Readers, sessions, the sign-in throttle, reset tokens and server secrets (migration
/// `v7 readers`); see `ReaderStore`. Every change that must be atomic is one write
/// transaction: writes are serialized on one connection, so a reset token checked and
/// deleted in one `write` cannot be used twice.
extension PaperDatabase: ReaderStore {
    public func addReader(email: String, passwordHash: String, at now: Date) async throws -> Reader? {
        let email = ReaderEmail.normalized(email)
        return try await access("cannot add the reader \(email)") { writer in
            try await writer.write { db in
                try db.execute(sql: """
                    INSERT INTO readers (email, password_hash, created_at) VALUES (?, ?, ?)
                    ON CONFLICT (email) DO NOTHING
                    """, arguments: [email, passwordHash, now.timeIntervalSince1970])
                guard db.changesCount == 1 else { return nil }
                return Reader(id: ReaderID(rawValue: db.lastInsertedRowID), email: email,
                              passwordHash: passwordHash, createdAt: now)
            }
        }
    }

    public func reader(email: String) async throws -> Reader? {
        try await readReader("email = ?", ReaderEmail.normalized(email))
    }

    public func reader(id: ReaderID) async throws -> Reader? {
        try await readReader("id = ?", id.rawValue)
    }

    private func readReader(_ condition: String, _ value: some DatabaseValueConvertible & Sendable) async throws -> Reader? {
        try await access("cannot read readers") { writer in
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM readers WHERE \(condition)", arguments: [value]).map {
                    Reader(id: ReaderID(rawValue: $0["id"]), email: $0["email"], passwordHash: $0["password_hash"],
                           createdAt: Date(timeIntervalSince1970: $0["created_at"]))
                }
            }
        }
    }

    public func addSession(_ session: ReaderSession) async throws {
        try await access("cannot record a session of reader \(session.reader)") { writer in
            try await writer.write { db in
                try db.execute(sql: """
                    INSERT INTO reader_sessions (digest, reader_id, created_at, expires_at) VALUES (?, ?, ?, ?)
                    """, arguments: [session.digest, session.reader.rawValue, session.createdAt.timeIntervalSince1970,
                                     session.expiresAt.timeIntervalSince1970])
                // Expired sessions of anyone go as new ones come, so the table holds live ones.
                try db.execute(sql: "DELETE FROM reader_sessions WHERE expires_at <= ?",
                               arguments: [session.createdAt.timeIntervalSince1970])
            }
        }
    }

    public func session(digest: String, at now: Date) async throws -> ReaderSession? {
        try await access("cannot read sessions") { writer in
            try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM reader_sessions WHERE digest = ? AND expires_at > ?",
                                 arguments: [digest, now.timeIntervalSince1970]).map {
                    ReaderSession(digest: $0["digest"], reader: ReaderID(rawValue: $0["reader_id"]),
                                  createdAt: Date(timeIntervalSince1970: $0["created_at"]),
                                  expiresAt: Date(timeIntervalSince1970: $0["expires_at"]))
                }
            }
        }
    }

    public func removeSession(digest: String) async throws {
        try await access("cannot end a session") { writer in
            try await writer.write { db in
                try db.execute(sql: "DELETE FROM reader_sessions WHERE digest = ?", arguments: [digest])
            }
        }
    }

    public func recordSignInFailure(keys: [String], at now: Date, forgettingBefore: Date) async throws {
        try await access("cannot count a failed sign-in") { writer in
            try await writer.write { db in
                for key in keys {
                    try db.execute(sql: "INSERT INTO sign_in_failures (key, at) VALUES (?, ?)",
                                   arguments: [key, now.timeIntervalSince1970])
                }
                try db.execute(sql: "DELETE FROM sign_in_failures WHERE at < ?",
                               arguments: [forgettingBefore.timeIntervalSince1970])
            }
        }
    }

    public func signInFailures(key: String, since: Date, limit: Int) async throws -> [Date] {
        try await access("cannot read failed sign-ins") { writer in
            try await writer.read { db in
                try Double.fetchAll(db, sql: """
                    SELECT at FROM sign_in_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?
                    """, arguments: [key, since.timeIntervalSince1970, limit]).map(Date.init(timeIntervalSince1970:))
            }
        }
    }

    public func clearSignInFailures(key: String) async throws {
        try await access("cannot clear failed sign-ins") { writer in
            try await writer.write { db in
                try db.execute(sql: "DELETE FROM sign_in_failures WHERE key = ?", arguments: [key])
            }
        }
    }

    public func addResetToken(digest: String, reader: ReaderID, expiresAt: Date) async throws {
        try await access("cannot record a reset token for reader \(reader)") { writer in
            try await writer.write { db in
                try db.execute(sql: "INSERT INTO reset_tokens (digest, reader_id, expires_at) VALUES (?, ?, ?)",
                               arguments: [digest, reader.rawValue, expiresAt.timeIntervalSince1970])
            }
        }
    }

    public func resetTokenReader(digest: String, at now: Date) async throws -> ReaderID? {
        try await access("cannot read reset tokens") { writer in
            try await writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT reader_id FROM reset_tokens WHERE digest = ? AND expires_at > ?",
                                   arguments: [digest, now.timeIntervalSince1970]).map(ReaderID.init(rawValue:))
            }
        }
    }

    public func resetPassword(tokenDigest: String, passwordHash: String, at now: Date) async throws -> ReaderID? {
        try await access("cannot reset a password") { writer in
            try await writer.write { db in
                guard let id = try Int64.fetchOne(db, sql: """
                    SELECT reader_id FROM reset_tokens WHERE digest = ? AND expires_at > ?
                    """, arguments: [tokenDigest, now.timeIntervalSince1970]) else { return nil }
                try Self.setPassword(of: id, passwordHash, in: db)
                return ReaderID(rawValue: id)
            }
        }
    }

    public func setPassword(of reader: ReaderID, passwordHash: String) async throws {
        try await access("cannot set the password of reader \(reader)") { writer in
            try await writer.write { db in try Self.setPassword(of: reader.rawValue, passwordHash, in: db) }
        }
    }

    /// The new hash, and every session and reset token of the reader gone (the used one too).
    private static func setPassword(of reader: Int64, _ passwordHash: String, in db: Database) throws {
        try db.execute(sql: "UPDATE readers SET password_hash = ? WHERE id = ?", arguments: [passwordHash, reader])
        try db.execute(sql: "DELETE FROM reader_sessions WHERE reader_id = ?", arguments: [reader])
        try db.execute(sql: "DELETE FROM reset_tokens WHERE reader_id = ?", arguments: [reader])
    }

    public func secret(named name: String, make: @Sendable () -> [UInt8]) async throws -> [UInt8] {
        let candidate = Data(make())
        return try await access("cannot read the server secret \(name)") { writer in
            try await writer.write { db in
                // The first process to ask writes its candidate; every other one reads that.
                try db.execute(sql: "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                               arguments: [name, candidate])
                let stored = try Data.fetchOne(db, sql: "SELECT value FROM server_secrets WHERE name = ?", arguments: [name])
                return [UInt8](stored ?? candidate)
            }
        }
    }
}
