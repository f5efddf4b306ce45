/// Makes the CSRF token a visitor's forms carry, from a server secret in the store.
///
/// A signed-in reader's token is the HMAC of their session's digest: it changes at every
/// sign-in, dies with the session, and needs no storage. An anonymous visitor (sign-in,
/// sign-up, reset and upvote forms) gets a random `paperboy_csrf` cookie and a token that is
/// the HMAC of that cookie: a double submit, but signed, so the token in the page is not
/// the cookie itself and cannot be made without the server's key. Another site can neither
/// read the page's token nor make one, so its forms are refused. (A site able to plant
/// cookies on ours could pair a cookie and token it got itself; for anonymous forms that
/// gains nothing a visitor could lose, and signed-in forms do not depend on that cookie.)
struct CSRFTokens: Sendable {
    let key: [UInt8]

    func token(session digest: String) -> String {
        KeyedDigest.sha256(key: key, message: Array("session \(digest)".utf8))
    }

    func token(anonymous cookie: String) -> String {
        KeyedDigest.sha256(key: key, message: Array("anonymous \(cookie)".utf8))
    }
}
