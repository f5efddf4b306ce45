import Foundation

/// Accounts, sessions, the sign-in throttle and password-reset tokens, in the store so that
/// several server processes over one store agree on all of them.
///
/// Every implementation behaves the same (`ReaderStoreBehaviour` checks it):
/// - Emails are compared after `ReaderEmail.normalized`; an address has at most one reader.
/// - Session tokens and reset tokens are never stored, only their SHA-256 (`digest`), so
///   reading the store does not let anyone sign in or reset a password.
/// - An expired session or reset token is as good as absent.
/// - Changing a password ends every session of the reader and voids their other reset tokens.
/// - A reset token works once: `resetPassword` consumes it in the same transaction that sets
///   the password, so two requests racing with one token cannot both succeed.
public protocol ReaderStore: Sendable {
    /// Adds a reader under the normalized `email`; nil when that address already has one.
    func addReader(email: String, passwordHash: String, at now: Date) async throws -> Reader?
    /// The reader whose normalized address equals `email` normalized.
    func reader(email: String) async throws -> Reader?
    func reader(id: ReaderID) async throws -> Reader?

    /// Records a session for `reader` under the digest of its token.
    func addSession(_ session: ReaderSession) async throws
    /// The session with this token digest, unless it expired by `now`.
    func session(digest: String, at now: Date) async throws -> ReaderSession?
    /// Ends one session (signing out); ending an absent one changes nothing.
    func removeSession(digest: String) async throws

    /// Counts one failed sign-in under each of `keys` (e.g. `email:…` and `address:…`) at
    /// `now`, and forgets failures older than `forgettingBefore`, so the table stays small.
    func recordSignInFailure(keys: [String], at now: Date, forgettingBefore: Date) async throws
    /// The times of the failures under `key` after `since`, newest first, at most `limit`.
    func signInFailures(key: String, since: Date, limit: Int) async throws -> [Date]
    /// Forgets the failures under `key` (a successful sign-in clears its email's count).
    func clearSignInFailures(key: String) async throws

    /// Records a reset token for `reader`, valid until `expiresAt`.
    func addResetToken(digest: String, reader: ReaderID, expiresAt: Date) async throws
    /// The reader a valid, unused reset token belongs to (without using it).
    func resetTokenReader(digest: String, at now: Date) async throws -> ReaderID?
    /// In one transaction: uses the token (valid at `now`), sets the reader's password hash,
    /// ends all their sessions and voids their other reset tokens. Nil, changing nothing,
    /// when the token is unknown, used or expired.
    func resetPassword(tokenDigest: String, passwordHash: String, at now: Date) async throws -> ReaderID?
    /// Sets a reader's password hash, ending all their sessions and voiding their reset tokens.
    func setPassword(of reader: ReaderID, passwordHash: String) async throws

    /// The server secret called `name` (e.g. the key CSRF tokens are signed with): made by
    /// `make` the first time it is asked for, then the same bytes for every process.
    func secret(named name: String, make: @Sendable () -> [UInt8]) async throws -> [UInt8]
}
