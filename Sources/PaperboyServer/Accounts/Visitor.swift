import PaperboyCore

/// Who sent a request, as the pages need to know it: the signed-in reader, if any, and the
/// CSRF token every state-changing form on their pages must carry back.
public struct Visitor: Sendable {
    /// The signed-in reader; nil for an anonymous visitor.
    public var reader: Reader?
    /// The digest of the session the reader is signed in with.
    var sessionDigest: String?
    /// The token for `<input type="hidden" name="csrf" value="{{csrf}}">` (empty when none
    /// could be made: such a visitor's posts are refused).
    public var csrf: String
    /// A fresh `paperboy_csrf` cookie value to hand an anonymous visitor who has none yet.
    var newCSRFCookie: String?

    /// The visitor of the request being answered, set by `VisitorMiddleware` for everything
    /// that runs inside it: code that sees only the `Request` (the library's and digests'
    /// closures, page rendering) finds the reader and token here.
    @TaskLocal public static var current = Visitor.unknown

    /// Before anything is known: anonymous, no token.
    public static let unknown = Visitor(reader: nil, sessionDigest: nil, csrf: "", newCSRFCookie: nil)

    /// The values every page's layout reads: `csrf`, and `signedIn` (`email`) for a reader.
    public var pageValues: [String: Any] {
        var values: [String: Any] = [:]
        if !csrf.isEmpty { values["csrf"] = csrf }  // else a page's own token (tests without accounts) stays
        if let reader { values["signedIn"] = ["email": reader.email] as [String: Any] }
        return values
    }
}
