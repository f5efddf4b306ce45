import HTTPTypes
import Hummingbird

/// Refuses every state-changing request (POST, PUT, PATCH, DELETE) that does not carry the
/// visitor's CSRF token: in the form field `csrf`, or in the `X-CSRF-Token` header (the
/// upvote script). The answer is a 403 page saying what to do.
///
/// Paths under `/unsubscribe` are exempt: RFC 8058 one-click unsubscription is posted by
/// mail programs without cookies, and carries its own signed token instead. So is a request
/// to the JSON API (`/api/`) without a session cookie: it borrows no reader's authority,
/// and the router answers it as before (405 for the API's read-only routes).
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let exemptPrefix = "/unsubscribe"
    static let header = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let cookielessAPI = path.hasPrefix("/api/") && request.cookies[Accounts.sessionCookie] == nil
        guard [.post, .put, .patch, .delete].contains(request.method), !Self.isExempt(path), !cookielessAPI else {
            return try await next(request, context)
        }
        var request = request
        let presented: String?
        if let header = request.headers[Self.header] {
            presented = header
        } else if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            // Collected once here; the route reads the same bytes again.
            let body = try await request.collectBody(upTo: RequestLimitsMiddleware<Context>.maxBodyBytes)
            presented = (try? URLEncodedFormDecoder().decode(TokenField.self, from: String(buffer: body)))?.csrf
        } else {
            presented = nil
        }
        let expected = context.visitor.csrf
        guard let presented, !expected.isEmpty, KeyedDigest.equal(presented, expected) else {
            throw HTTPError(.forbidden, message: """
                This form has expired or did not come from one of this site's pages, so nothing was changed. \
                Go back, reload the page and try again.
                """)
        }
        return try await next(request, context)
    }

    static func isExempt(_ path: String) -> Bool {
        path == exemptPrefix || path.hasPrefix(exemptPrefix + "/")
    }

    private struct TokenField: Decodable {
        var csrf: String?
    }
}
