import Hummingbird
import Logging

/// Finds who sent each request (`Accounts.visitor(of:)`) and puts it in the context before
/// any route or error page runs, so every page's header shows the reader. Hands an
/// anonymous visitor a CSRF cookie with the first page that could carry a form.
///
/// A store that cannot be read makes the visitor unknown rather than failing the page:
/// reading still works, and posting is refused for want of a token.
struct VisitorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: Accounts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        do {
            context.visitor = try await accounts.visitor(of: request)
        } catch {
            context.logger.error("cannot tell who is asking", metadata: ["error": "\(error)"])
        }
        var response = try await Visitor.$current.withValue(context.visitor) { try await next(request, context) }
        if let cookie = context.visitor.newCSRFCookie, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.setCookie(AccountCookies.cookie(Accounts.csrfCookie, cookie, maxAge: nil, request: request))
        }
        return response
    }
}

/// The cookies accounts set: HttpOnly (no script reads them), SameSite=Lax (not sent with
/// another site's posts), Path=/, and Secure whenever the request came over TLS.
enum AccountCookies {
    static func cookie(_ name: String, _ value: String, maxAge: Int?, request: Request) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: PageController.isHTTPS(request),
               httpOnly: true, sameSite: .lax)
    }

    /// Tells the browser to forget `name` now.
    static func expired(_ name: String, request: Request) -> Cookie {
        cookie(name, "", maxAge: 0, request: request)
    }
}
