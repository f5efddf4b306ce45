import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PaperboyServer
import Testing

/// No post changes anything without the visitor's own CSRF token.
struct AccountsCSRFTests {
    @Test func aSignedInPostNeedsItsOwnSessionsToken() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var ada = try await fixture.signedUp("ada@example.org", client)
            var grace = try await fixture.signedUp("grace@example.org", client)
            try await ada.get("/", client)
            try await grace.get("/", client)
            let adaToken = try #require(ada.csrf), graceToken = try #require(grace.csrf)
            #expect(adaToken != graceToken)

            let missing = try await ada.post("/signout", csrf: "", client)
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("This form has expired or did not come from one of this site&#39;s pages"))
            #expect(try await ada.post("/signout", csrf: graceToken, client).status == .forbidden)
            #expect(try await ada.get("/", client).showsSignedIn)

            #expect(try await ada.post("/signout", csrf: adaToken, client).status == .seeOther)
            #expect(try await ada.get("/", client).showsSignedIn == false)
        }
    }

    /// An anonymous visitor's token is bound to their `paperboy_csrf` cookie: without the
    /// cookie, or with another visitor's token, the post is refused.
    @Test func anAnonymousPostNeedsTheTokenOfItsCookie() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var first = TestBrowser(), second = TestBrowser()
            try await first.get("/signup", client)
            try await second.get("/signup", client)
            let fields = [("email", "ada@example.org"), ("password", AccountsFixture.password)]
            #expect(try await first.post("/signup", fields, csrf: second.csrf, client).status == .forbidden)
            var cookieless = first
            cookieless.cookies = [:]
            #expect(try await cookieless.post("/signup", fields, client).status == .forbidden)
            #expect(try await first.post("/signup", fields, csrf: "", client).status == .forbidden)
            #expect(try await fixture.store.reader(email: "ada@example.org") == nil)
            #expect(try await first.post("/signup", fields, client).status == .seeOther)
        }
    }

    /// Upvotes need the token too, from the form field or the script's header.
    @Test func anUpvoteNeedsTheToken() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var browser = TestBrowser()
            let page = try await browser.get("/papers/\(AccountsFixture.paper)", client)
            let token = try #require(browser.csrf)
            #expect(page.text.contains(#"<input type="hidden" name="csrf" value="\#(token)">"#))
            #expect(try await browser.post("/papers/\(AccountsFixture.paper)/upvote", csrf: "", client).status == .forbidden)
            var headers = browser.requestHeaders()
            headers[.accept] = "application/json"
            headers[HTTPField.Name("X-CSRF-Token")!] = token
            let scripted = try await client.execute(uri: "/papers/\(AccountsFixture.paper)/upvote", method: .post,
                                                    headers: headers) { $0 }
            #expect(scripted.status == .ok && scripted.text == "{\"upvotes\":1}")
        }
    }

    /// RFC 8058 one-click unsubscription is posted by mail programs without cookies: it is
    /// not the CSRF check that answers it.
    @Test func unsubscribePostsAreExempt() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            let response = try await client.execute(uri: "/unsubscribe/some-token", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { $0 }
            #expect(response.status != .forbidden)
            let elsewhere = try await client.execute(uri: "/unsubscribed", method: .post) { $0 }
            #expect(elsewhere.status == .forbidden)
        }
    }

    /// The JSON API takes no cookies: a post there without a session is the router's to
    /// answer (405 on a read-only route); with a session cookie it needs the token too.
    @Test func apiPostsWithoutASessionReachTheRouter() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            #expect(try await client.execute(uri: "/api/v1/daily", method: .put) { $0 }.status == .methodNotAllowed)
            let browser = try await fixture.signedUp("ada@example.org", client)
            let withSession = try await client.execute(uri: "/api/v1/daily", method: .put, headers: browser.requestHeaders()) { $0 }
            #expect(withSession.status == .forbidden)
        }
    }
}
