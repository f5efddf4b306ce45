import Foundation
import HTTPTypes
import Hummingbird
import Mailer
import PaperboyCore

/// The account pages: `/signup`, `/signin`, `/signout`, `/reset` (ask for a link) and
/// `/reset/{token}` (choose a new password). Every form carries the visitor's CSRF token,
/// checked by `CSRFMiddleware` before these routes run; every sign-in (sign-up and reset
/// included) starts a new session, so no session id outlives the sign-in it came from.
struct AccountsController {
    let accounts: Accounts
    let views: Views
    let settings: ServerSettings

    func register(on router: Router<AppRequestContext>) {
        router.get("/signup") { _, context in try page("signup", [:], context) }
        router.post("/signup") { request, context in try await signUp(request, context) }
        router.get("/signin") { _, context in try page("signin", [:], context) }
        router.post("/signin") { request, context in try await signIn(request, context) }
        router.post("/signout") { request, context in try await signOut(request, context) }
        router.get("/reset") { _, context in try page("reset-request", [:], context) }
        router.post("/reset") { request, context in try await requestReset(request, context) }
        router.get("/reset/{token}") { request, context in try await resetPage(request, context) }
        router.post("/reset/{token}") { request, context in try await reset(request, context) }
    }

    // MARK: Sign up, in, out

    func signUp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await AccountForm(request)
        let email = ReaderEmail.normalized(form.email)
        var values: [String: Any] = ["email": form.email]
        do {
            _ = try MailAddress(email, field: "email")
        } catch {
            values["error"] = "Email: \(form.email.isEmpty ? "is missing" : "is not an address we can send mail to")."
            return try page("signup", values, context, status: .badRequest)
        }
        if let problem = PasswordRule.problem(with: form.password) {
            values["error"] = "Password: \(problem)."
            return try page("signup", values, context, status: .badRequest)
        }
        guard let reader = try await accounts.signUp(email: email, password: form.password) else {
            values["error"] = "An account for \(email) exists already: sign in, or ask for a password reset."
            return try page("signup", values, context, status: .conflict)
        }
        context.logger.info("reader signed up", metadata: ["reader": "\(reader.id)"])
        return try await signedIn(reader.id, request, context)
    }

    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await AccountForm(request)
        let values: [String: Any] = ["email": form.email]
        switch try await accounts.signIn(email: form.email, password: form.password,
                                         clientAddress: Self.clientAddress(request, context)) {
        case .signedIn(let reader):
            return try await signedIn(reader.id, request, context)
        case .refused:
            return try page("signin", values.merging(["error": "The email or the password is wrong."]) { $1 },
                            context, status: .unauthorized)
        case .throttled(let until):
            let seconds = max(1, Int(until.timeIntervalSince(accounts.clock()).rounded(.up)))
            let minutes = (seconds + 59) / 60
            var response = try page("signin", values.merging(["error": """
                Too many failed sign-ins for this account or from this address. \
                Try again in \(minutes) minute\(minutes == 1 ? "" : "s").
                """]) { $1 }, context, status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
    }

    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let digest = context.visitor.sessionDigest { try await accounts.endSession(digest: digest) }
        var response = Response(status: .seeOther, headers: [.location: "/", .cacheControl: "no-store"])
        response.setCookie(AccountCookies.expired(Accounts.sessionCookie, request: request))
        return response
    }

    /// A new session for `reader` (ending the one the request came with), then home.
    private func signedIn(_ reader: ReaderID, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let old = context.visitor.sessionDigest { try await accounts.endSession(digest: old) }
        let token = try await accounts.startSession(for: reader)
        var response = Response(status: .seeOther, headers: [.location: "/", .cacheControl: "no-store"])
        response.setCookie(AccountCookies.cookie(Accounts.sessionCookie, token.text,
                                                 maxAge: Int(accounts.settings.sessionLifetime), request: request))
        return response
    }

    // MARK: Password reset

    func requestReset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await AccountForm(request)
        guard !form.email.isEmpty else {
            return try page("reset-request", ["error": "Email: is missing."], context, status: .badRequest)
        }
        try await accounts.requestReset(email: form.email, baseURL: settings.baseURL)
        return try page("reset-request", ["sent": true, "email": form.email], context)
    }

    func resetPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let token = Self.token(context), try await accounts.isUsableResetToken(token) else {
            throw Self.unusableLink
        }
        return try page("reset", ["token": token.text], context)
    }

    func reset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let token = Self.token(context) else { throw Self.unusableLink }
        let form = try await AccountForm(request)
        if let problem = PasswordRule.problem(with: form.password) {
            return try page("reset", ["token": token.text, "error": "Password: \(problem)."], context, status: .badRequest)
        }
        guard let reader = try await accounts.resetPassword(with: token, to: form.password) else { throw Self.unusableLink }
        context.logger.info("password reset", metadata: ["reader": "\(reader)"])
        return try await signedIn(reader, request, context)
    }

    static let unusableLink = HTTPError(.notFound, message: """
        This password reset link has expired or has been used already. Ask for a new one at /reset.
        """)

    private static func token(_ context: AppRequestContext) -> SecretToken? {
        context.parameters.get("token").flatMap(SecretToken.init)
    }

    // MARK: Pages

    /// An account page, for the visitor of `context`.
    private func page(_ template: String, _ values: [String: Any], _ context: AppRequestContext,
                      status: HTTPResponse.Status = .ok) throws -> Response {
        try views.personalPage(template, values, for: context.visitor, status: status)
    }

    /// The address failures are counted under: the connection's peer, or, when that is this
    /// machine (a reverse proxy beside the server), the last address the proxy added to
    /// `X-Forwarded-For`; a remote client cannot choose its own key by sending that header.
    static func clientAddress(_ request: Request, _ context: AppRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress
        if peer == nil || peer == "127.0.0.1" || peer == "::1",
           let forwarded = PageController.header("x-forwarded-for", of: request)?.split(separator: ",").last?
               .trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
            return forwarded
        }
        return peer ?? "unknown"
    }
}

/// The fields of the account forms, read from an urlencoded body; absent ones are empty.
struct AccountForm {
    var email: String
    var password: String

    init(_ request: Request) async throws {
        var request = request
        let body = try await request.collectBody(upTo: RequestLimitsMiddleware<AppRequestContext>.maxBodyBytes)
        let fields: Fields
        do {
            fields = try URLEncodedFormDecoder().decode(Fields.self, from: String(buffer: body))
        } catch {
            throw ParameterError("form", "must be sent as application/x-www-form-urlencoded fields")
        }
        email = fields.email ?? ""
        password = fields.password ?? ""
    }

    private struct Fields: Decodable {
        var email: String?
        var password: String?
    }
}
