import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import Mailer
import NIOPosix
import PaperboyCore
import Synchronization

/// Reader accounts over a `ReaderStore`: signing up, in and out, sessions, the sign-in
/// throttle, password resets (mail recorded in the outbox) and the CSRF key.
///
/// Controllers that need to know who is asking use `reader(of:)`; pages get the whole
/// `Visitor` through `AppRequestContext.visitor`.
public final class Accounts: Sendable {
    /// The session cookie: a random token whose digest names a row of the store.
    public static let sessionCookie = "paperboy_session"
    /// An anonymous visitor's CSRF cookie (see `CSRFTokens`).
    public static let csrfCookie = "paperboy_csrf"

    let store: any ReaderStore & OutboxStore
    let settings: AccountSettings
    let clock: @Sendable () -> Date
    let mailFrom: MailAddress
    let logger: Logger
    private let csrfKey = Mutex<[UInt8]?>(nil)
    /// A hash of no one's password, checked for unknown emails so that they take as long
    /// to refuse as a wrong password.
    private let decoyHash: String

    /// - Throws: `MailerError` naming `mail from` when `settings.mailFrom` is no address.
    public init(store: any ReaderStore & OutboxStore, settings: AccountSettings = AccountSettings(),
                clock: @escaping @Sendable () -> Date = Date.init,
                logger: Logger = Logger(label: "paperboy.accounts")) throws {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
        mailFrom = try MailAddress(settings.mailFrom, displayName: "Paperboy", field: "mail from")
        decoyHash = Bcrypt.hash(SecretToken.random().text, cost: settings.bcryptCost)
    }

    // MARK: Who is asking

    /// The signed-in reader of `request`, from its session cookie: the seam for controllers
    /// that need only that (library, recommendations).
    public func reader(of request: Request) async throws -> ReaderID? {
        try await session(of: request)?.reader
    }

    /// The live session named by `request`'s cookie.
    func session(of request: Request) async throws -> ReaderSession? {
        guard let value = request.cookies[Self.sessionCookie]?.value, let token = SecretToken(value) else { return nil }
        return try await store.session(digest: token.digest, at: clock())
    }

    /// The visitor behind `request`: signed in with a live session, or anonymous with a
    /// CSRF cookie (a new one when the request brought none).
    func visitor(of request: Request) async throws -> Visitor {
        let tokens = try await csrfTokens()
        if let session = try await session(of: request), let reader = try await store.reader(id: session.reader) {
            return Visitor(reader: reader, sessionDigest: session.digest,
                           csrf: tokens.token(session: session.digest), newCSRFCookie: nil)
        }
        if let value = request.cookies[Self.csrfCookie]?.value, let cookie = SecretToken(value) {
            return Visitor(reader: nil, sessionDigest: nil, csrf: tokens.token(anonymous: cookie.text), newCSRFCookie: nil)
        }
        let cookie = SecretToken.random()
        return Visitor(reader: nil, sessionDigest: nil, csrf: tokens.token(anonymous: cookie.text), newCSRFCookie: cookie.text)
    }

    func csrfTokens() async throws -> CSRFTokens {
        if let key = csrfKey.withLock({ $0 }) { return CSRFTokens(key: key) }
        let key = try await store.secret(named: "csrf") { Hex.decode(SecretToken.random().text) ?? [] }
        csrfKey.withLock { $0 = key }
        return CSRFTokens(key: key)
    }

    // MARK: Signing up, in and out

    /// A new reader with `password`, or nil when the address has an account already.
    func signUp(email: String, password: String) async throws -> Reader? {
        let hash = await hashed(password)
        return try await store.addReader(email: email, passwordHash: hash, at: clock())
    }

    enum SignInOutcome {
        case signedIn(Reader)
        /// Wrong password or unknown email: the same answer for both.
        case refused
        /// Too many failures for the email or the address: nothing was checked.
        case throttled(until: Date)
    }

    /// Checks `password` unless the email or `clientAddress` is throttled; a failure counts
    /// against both, a success clears the email's count.
    func signIn(email: String, password: String, clientAddress: String) async throws -> SignInOutcome {
        let now = clock()
        let throttle = settings.throttle
        let since = now.addingTimeInterval(-throttle.window)
        let emailKey = "email:" + ReaderEmail.normalized(email), addressKey = "address:" + clientAddress
        var blockedUntil: Date?
        for (key, limit) in [(emailKey, throttle.perEmail), (addressKey, throttle.perAddress)] {
            let failures = try await store.signInFailures(key: key, since: since, limit: limit)
            if let until = throttle.blockedUntil(failures: failures, limit: limit, now: now) {
                blockedUntil = max(blockedUntil ?? until, until)
            }
        }
        if let blockedUntil {
            logger.notice("sign-in throttled", metadata: ["address": "\(clientAddress)"])
            return .throttled(until: blockedUntil)
        }
        let reader = try await store.reader(email: email)
        guard await verify(password, against: reader?.passwordHash ?? decoyHash), let reader else {
            try await store.recordSignInFailure(keys: [emailKey, addressKey], at: now, forgettingBefore: since)
            return .refused
        }
        try await store.clearSignInFailures(key: emailKey)
        return .signedIn(reader)
    }

    /// A new session for `reader`: the token goes into the cookie, its digest into the store.
    func startSession(for reader: ReaderID) async throws -> SecretToken {
        let token = SecretToken.random()
        let now = clock()
        try await store.addSession(ReaderSession(digest: token.digest, reader: reader, createdAt: now,
                                                 expiresAt: now.addingTimeInterval(settings.sessionLifetime)))
        return token
    }

    func endSession(digest: String) async throws {
        try await store.removeSession(digest: digest)
    }

    // MARK: Password reset

    /// Records a reset mail for the account of `email`, if there is one, with a link valid
    /// for `resetLinkLifetime`. Says nothing either way: the page must not tell who has an account.
    func requestReset(email: String, baseURL: String) async throws {
        guard let reader = try await store.reader(email: email) else { return }
        let token = SecretToken.random()
        let now = clock()
        try await store.addResetToken(digest: token.digest, reader: reader.id,
                                      expiresAt: now.addingTimeInterval(settings.resetLinkLifetime))
        let draft = try PasswordResetMail.draft(to: reader, link: "\(baseURL)/reset/\(token.text)",
                                                key: "reset:" + token.digest.prefix(16), from: mailFrom, at: now)
        _ = try await store.enqueue([draft], at: now)
        logger.info("password reset mail recorded", metadata: ["reader": "\(reader.id)"])
    }

    /// Whether `token` may still set a password.
    func isUsableResetToken(_ token: SecretToken) async throws -> Bool {
        try await store.resetTokenReader(digest: token.digest, at: clock()) != nil
    }

    /// Sets `password` with `token` (used up by it) and ends the reader's other sessions;
    /// nil when the token is unknown, used or expired.
    func resetPassword(with token: SecretToken, to password: String) async throws -> ReaderID? {
        let hash = await hashed(password)
        return try await store.resetPassword(tokenDigest: token.digest, passwordHash: hash, at: clock())
    }

    // MARK: bcrypt, off the request threads

    private func hashed(_ password: String) async -> String {
        let cost = settings.bcryptCost
        return await offload { Bcrypt.hash(password, cost: cost) }
    }

    private func verify(_ password: String, against hash: String) async -> Bool {
        await offload { Bcrypt.verify(password, hash: hash) }
    }

    /// bcrypt is meant to be slow; it runs on NIO's blocking pool, not the concurrency pool
    /// every request shares.
    private func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        (try? await NIOThreadPool.singleton.runIfActive(work)) ?? work()
    }
}
