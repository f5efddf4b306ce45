import Foundation
import PaperboyCore
import Testing

/// What every reader store does, written once and run against each store: one account per
/// normalized address, sessions that expire and end, a password change that ends every
/// session, a throttle shared through the store, reset tokens that work once and expire,
/// and secrets that stay put.
public enum ReaderStoreBehaviour {
    public static let all: [(name: String, check: @Sendable (any ReaderStore) async throws -> Void)] = [
        ("an address has one account", anAddressHasOneAccount),
        ("sessions expire and end", sessionsExpireAndEnd),
        ("a password change ends every session", aPasswordChangeEndsEverySession),
        ("failed sign-ins are counted per key in a window", failedSignInsAreCountedPerKey),
        ("a reset token works once and expires", aResetTokenWorksOnceAndExpires),
        ("a secret is made once", aSecretIsMadeOnce),
    ]

    public static func run(_ name: String, on store: any ReaderStore) async throws {
        guard let behaviour = all.first(where: { $0.name == name }) else {
            Issue.record("no reader store behaviour named \(name)")
            return
        }
        try await behaviour.check(store)
    }

    public static let start = Date(timeIntervalSince1970: 1_790_000_000)
    static let hash = "$2b$04$Ad8Xh5bm1Jm2b0v1mQm5s.gq0r0Qp3QAqVq3iK1o1w8pWQ0oVQy2u"

    public static func anAddressHasOneAccount(_ store: any ReaderStore) async throws {
        let ada = try #require(try await store.addReader(email: "  Ada@Example.org ", passwordHash: hash, at: start))
        #expect(ada.email == "ada@example.org" && ada.createdAt == start)
        #expect(try await store.addReader(email: "ADA@example.org", passwordHash: "other", at: start) == nil)
        #expect(try await store.reader(email: "ada@EXAMPLE.org") == ada)
        #expect(try await store.reader(id: ada.id) == ada)
        let grace = try #require(try await store.addReader(email: "grace@example.org", passwordHash: hash, at: start))
        #expect(grace.id != ada.id)
        #expect(try await store.reader(email: "nobody@example.org") == nil)
    }

    public static func sessionsExpireAndEnd(_ store: any ReaderStore) async throws {
        let ada = try #require(try await store.addReader(email: "ada@example.org", passwordHash: hash, at: start))
        let session = ReaderSession(digest: String(repeating: "a", count: 64), reader: ada.id, createdAt: start,
                                    expiresAt: start + 3_600)
        try await store.addSession(session)
        try await store.addSession(ReaderSession(digest: String(repeating: "b", count: 64), reader: ada.id,
                                                 createdAt: start, expiresAt: start + 3_600))
        #expect(try await store.session(digest: session.digest, at: start + 3_599) == session)
        #expect(try await store.session(digest: session.digest, at: start + 3_600) == nil)
        #expect(try await store.session(digest: String(repeating: "c", count: 64), at: start) == nil)
        try await store.removeSession(digest: session.digest)
        #expect(try await store.session(digest: session.digest, at: start) == nil)
        // Ending one session leaves the reader's others alone.
        #expect(try await store.session(digest: String(repeating: "b", count: 64), at: start) != nil)
        try await store.removeSession(digest: session.digest)
    }

    public static func aPasswordChangeEndsEverySession(_ store: any ReaderStore) async throws {
        let ada = try #require(try await store.addReader(email: "ada@example.org", passwordHash: hash, at: start))
        let grace = try #require(try await store.addReader(email: "grace@example.org", passwordHash: hash, at: start))
        for (digest, reader) in [("1", ada.id), ("2", ada.id), ("3", grace.id)] {
            try await store.addSession(ReaderSession(digest: digest, reader: reader, createdAt: start, expiresAt: start + 60))
        }
        try await store.addResetToken(digest: "r1", reader: ada.id, expiresAt: start + 60)
        try await store.setPassword(of: ada.id, passwordHash: "new hash")
        #expect(try await store.reader(id: ada.id)?.passwordHash == "new hash")
        #expect(try await store.session(digest: "1", at: start) == nil)
        #expect(try await store.session(digest: "2", at: start) == nil)
        #expect(try await store.session(digest: "3", at: start)?.reader == grace.id)
        #expect(try await store.resetTokenReader(digest: "r1", at: start) == nil)
    }

    public static func failedSignInsAreCountedPerKey(_ store: any ReaderStore) async throws {
        for second in 0..<3 {
            try await store.recordSignInFailure(keys: ["email:ada@example.org", "address:10.0.0.1"],
                                                at: start + Double(second), forgettingBefore: start - 900)
        }
        try await store.recordSignInFailure(keys: ["address:10.0.0.1"], at: start + 3, forgettingBefore: start - 900)
        #expect(try await store.signInFailures(key: "email:ada@example.org", since: start - 900, limit: 10)
                == [start + 2, start + 1, start])
        #expect(try await store.signInFailures(key: "address:10.0.0.1", since: start - 900, limit: 2) == [start + 3, start + 2])
        #expect(try await store.signInFailures(key: "email:ada@example.org", since: start + 1, limit: 10) == [start + 2])
        // Old failures are forgotten as new ones are recorded.
        try await store.recordSignInFailure(keys: ["email:grace@example.org"], at: start + 2_000, forgettingBefore: start + 1_000)
        #expect(try await store.signInFailures(key: "address:10.0.0.1", since: .distantPast, limit: 10).isEmpty)
        try await store.clearSignInFailures(key: "email:grace@example.org")
        #expect(try await store.signInFailures(key: "email:grace@example.org", since: .distantPast, limit: 10).isEmpty)
    }

    public static func aResetTokenWorksOnceAndExpires(_ store: any ReaderStore) async throws {
        let ada = try #require(try await store.addReader(email: "ada@example.org", passwordHash: hash, at: start))
        try await store.addSession(ReaderSession(digest: "old", reader: ada.id, createdAt: start, expiresAt: start + 86_400))
        try await store.addResetToken(digest: "fresh", reader: ada.id, expiresAt: start + 3_600)
        try await store.addResetToken(digest: "stale", reader: ada.id, expiresAt: start + 60)
        #expect(try await store.resetTokenReader(digest: "fresh", at: start + 100) == ada.id)
        #expect(try await store.resetPassword(tokenDigest: "stale", passwordHash: "late", at: start + 60) == nil)
        #expect(try await store.reader(id: ada.id)?.passwordHash == hash)
        #expect(try await store.resetPassword(tokenDigest: "fresh", passwordHash: "new hash", at: start + 100) == ada.id)
        #expect(try await store.reader(id: ada.id)?.passwordHash == "new hash")
        #expect(try await store.session(digest: "old", at: start + 100) == nil)
        // Used once: the same token does nothing more.
        #expect(try await store.resetTokenReader(digest: "fresh", at: start + 100) == nil)
        #expect(try await store.resetPassword(tokenDigest: "fresh", passwordHash: "again", at: start + 101) == nil)
        #expect(try await store.reader(id: ada.id)?.passwordHash == "new hash")
    }

    public static func aSecretIsMadeOnce(_ store: any ReaderStore) async throws {
        let first = try await store.secret(named: "csrf") { [1, 2, 3] }
        let second = try await store.secret(named: "csrf") { [9, 9, 9] }
        let other = try await store.secret(named: "other") { [7] }
        #expect(first == [1, 2, 3] && second == [1, 2, 3] && other == [7])
    }
}
