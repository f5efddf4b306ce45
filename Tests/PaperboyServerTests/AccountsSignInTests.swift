import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PaperboyCore
import PaperboyServer
import Testing

/// Signing up, in and out over real HTTP routes and a real SQLite store: sessions, cookie
/// flags, no session fixation, identical refusals and the throttle.
struct AccountsSignInTests {
    @Test func signUpThenSignInShowsTheReaderInEveryHeader() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var browser = TestBrowser()
            let form = try await browser.get("/signup", client)
            #expect(form.text.contains("Sign in</a> · <a href=\"/signup\">Sign up"))
            let signedUp = try await browser.post("/signup", [("email", " Ada@Example.org "), ("password", AccountsFixture.password)], client)
            #expect(signedUp.status == .seeOther && signedUp.headers[.location] == "/")
            #expect(browser.cookies["paperboy_session"] != nil)
            for page in ["/", "/trending", "/search?q=attention", "/papers/\(AccountsFixture.paper)", "/signin", "/nowhere"] {
                let response = try await browser.get(page, client)
                #expect(response.showsSignedIn, "\(page) does not show the reader")
                #expect(response.text.contains("ada@example.org") && response.text.contains("href=\"/library\">Library"), "\(page)")
            }
            #expect(try await browser.post("/signout", client).status == .seeOther)
            #expect(browser.cookies["paperboy_session"] == nil)
            #expect(try await browser.get("/", client).showsSignedIn == false)

            try await browser.get("/signin", client)
            let signedIn = try await browser.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
            #expect(try await browser.get("/", client).showsSignedIn)
        }
        #expect(try await fixture.store.reader(email: "ada@example.org") != nil)
    }

    @Test func signUpRefusesBadFieldsNamingThem() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var browser = try await fixture.signedUp("ada@example.org", client)
            try await browser.get("/", client)
            #expect(try await browser.post("/signout", client).status == .seeOther)
            try await browser.get("/signup", client)
            let short = try await browser.post("/signup", [("email", "grace@example.org"), ("password", "short")], client)
            #expect(short.status == .badRequest && short.text.contains("Password: must have at least 8 characters."))
            let notAnAddress = try await browser.post("/signup", [("email", "grace"), ("password", AccountsFixture.password)], client)
            #expect(notAnAddress.status == .badRequest && notAnAddress.text.contains("Email: is not an address"))
            let taken = try await browser.post("/signup", [("email", "ADA@example.org"), ("password", AccountsFixture.password)], client)
            #expect(taken.status == .conflict && taken.text.contains("exists already"))
            #expect(browser.cookies["paperboy_session"] == nil)
        }
    }

    /// Wrong password and unknown email: the same status and the same page, but for the
    /// address typed back into the form.
    @Test func wrongPasswordAndUnknownEmailAnswerIdentically() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            _ = try await fixture.signedUp("ada@example.org", client)
            var browser = TestBrowser()
            try await browser.get("/signin", client)
            let wrong = try await browser.post("/signin", [("email", "ada@example.org"), ("password", "not the password")], client)
            let unknown = try await browser.post("/signin", [("email", "bob@example.org"), ("password", "not the password")], client)
            #expect(wrong.status == .unauthorized && unknown.status == wrong.status)
            #expect(wrong.text.contains("The email or the password is wrong."))
            #expect(wrong.text.replacingOccurrences(of: "ada@example.org", with: "EMAIL")
                    == unknown.text.replacingOccurrences(of: "bob@example.org", with: "EMAIL"))
            #expect(wrong.headers[values: .setCookie] == unknown.headers[values: .setCookie])
        }
    }

    /// Five failures for one email: the sixth attempt is refused with 429 and Retry-After,
    /// even with the right password, until the window has passed.
    @Test func theSixthFailureIsThrottledUntilTheWindowPasses() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            _ = try await fixture.signedUp("ada@example.org", client)
            var browser = TestBrowser()
            try await browser.get("/signin", client)
            for _ in 1...5 {
                #expect(try await browser.post("/signin", [("email", "ada@example.org"), ("password", "guess")], client).status == .unauthorized)
                fixture.advance(by: 10)
            }
            let sixth = try await browser.post("/signin", [("email", "ada@example.org"), ("password", "guess")], client)
            #expect(sixth.status == .tooManyRequests)
            // The first failure leaves the 15-minute window 900 - 50 seconds from now.
            #expect(sixth.headers[.retryAfter] == "850")
            #expect(sixth.text.contains("Too many failed sign-ins") && sixth.text.contains("Try again in 15 minutes."))
            let right = try await browser.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            #expect(right.status == .tooManyRequests && browser.cookies["paperboy_session"] == nil)

            fixture.advance(by: 850)
            let later = try await browser.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            #expect(later.status == .seeOther && browser.cookies["paperboy_session"] != nil)
        }
    }

    /// Twenty failures from one address, whatever the emails: the address is refused too.
    @Test func oneAddressIsThrottledAcrossEmails() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            _ = try await fixture.signedUp("ada@example.org", client)
            var attacker = TestBrowser()
            attacker.headers[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.7"
            try await attacker.get("/signin", client)
            for number in 1...20 {
                let response = try await attacker.post("/signin", [("email", "reader\(number)@example.org"), ("password", "guess")], client)
                #expect(response.status == .unauthorized)
            }
            let blocked = try await attacker.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            #expect(blocked.status == .tooManyRequests && blocked.headers[.retryAfter] != nil)
            // Another address signs in to the same account at once.
            var reader = TestBrowser()
            reader.headers[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.2"
            try await reader.get("/signin", client)
            #expect(try await reader.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client).status == .seeOther)
        }
    }

    @Test func theSessionCookieIsHttpOnlyLaxAndSecureOnlyBehindTLS() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var plain = TestBrowser()
            try await plain.get("/signup", client)
            let response = try await plain.post("/signup", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("paperboy_session=") })
            for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] { #expect(cookie.contains(flag), "\(flag) missing in \(cookie)") }
            #expect(!cookie.contains("Secure"))
            var anonymous = TestBrowser()
            let csrfCookie = try #require(try await anonymous.get("/signin", client).headers[values: .setCookie].first)
            #expect(csrfCookie.hasPrefix("paperboy_csrf=") && csrfCookie.contains("HttpOnly") && !csrfCookie.contains("Secure"))

            var tls = TestBrowser()
            tls.headers[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let form = try await tls.get("/signin", client)
            #expect(form.headers[values: .setCookie].first?.contains("; Secure") == true)
            let signedIn = try await tls.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            let secure = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("paperboy_session=") })
            #expect(secure.contains("Secure") && secure.contains("HttpOnly") && secure.contains("SameSite=Lax"))
        }
    }

    /// Every sign-in makes a new session id and ends the one the browser came with, so an
    /// id planted before sign-in, or seen before it, is worth nothing after.
    @Test func signingInChangesTheSessionID() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var browser = try await fixture.signedUp("ada@example.org", client)
            let first = try #require(browser.cookies["paperboy_session"])
            try await browser.get("/signin", client)
            try await browser.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            let second = try #require(browser.cookies["paperboy_session"])
            #expect(first != second)
            var stale = TestBrowser()
            stale.cookies["paperboy_session"] = first
            #expect(try await stale.get("/", client).showsSignedIn == false)

            var planted = TestBrowser()
            planted.cookies["paperboy_session"] = String(repeating: "ab", count: 32)
            try await planted.get("/signin", client)
            try await planted.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            #expect(planted.cookies["paperboy_session"] != String(repeating: "ab", count: 32))
            #expect(try await planted.get("/", client).showsSignedIn)
        }
    }

    @Test func signingOutEndsTheSessionOnTheServer() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var browser = try await fixture.signedUp("ada@example.org", client)
            let token = try #require(browser.cookies["paperboy_session"])
            try await browser.get("/", client)
            try await browser.post("/signout", client)
            // The old cookie, replayed, no longer signs anyone in.
            var replay = TestBrowser()
            replay.cookies["paperboy_session"] = token
            #expect(try await replay.get("/", client).showsSignedIn == false)
            #expect(try await replay.get("/papers/\(AccountsFixture.paper)", client).showsSignedIn == false)
        }
        #expect(try await fixture.accounts.reader(of: Request.with(cookie: "paperboy_session=\(String(repeating: "0", count: 64))")) == nil)
    }

    /// The seam other pages use: the reader of a request, from its session cookie alone.
    @Test func theReaderOfARequestComesFromItsSessionCookie() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            let browser = try await fixture.signedUp("ada@example.org", client)
            let token = try #require(browser.cookies["paperboy_session"])
            let ada = try #require(try await fixture.store.reader(email: "ada@example.org"))
            #expect(try await fixture.accounts.reader(of: Request.with(cookie: "paperboy_session=\(token)")) == ada.id)
            #expect(try await fixture.accounts.reader(of: Request.with(cookie: "paperboy_session=forged")) == nil)
        }
    }

    /// A signed-in reader votes as `reader:<id>`: one vote per reader from any browser.
    @Test func aSignedInReaderVotesOnceFromAnyBrowser() async throws {
        let fixture = try await AccountsFixture()
        let id = PaperID(AccountsFixture.paper)!
        try await fixture.test { client in
            let laptop = try await fixture.signedUp("ada@example.org", client)
            var phone = TestBrowser()
            try await phone.get("/signin", client)
            try await phone.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client)
            for var browser in [laptop, phone] {
                try await browser.get("/papers/\(AccountsFixture.paper)", client)
                let vote = try await browser.post("/papers/\(AccountsFixture.paper)/upvote", client)
                #expect(vote.status == .seeOther)
                #expect(vote.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("paperboy_voter=") })
            }
        }
        #expect(try await fixture.store.upvoteCounts(for: [id])[id] == 1)
    }
}

extension Request {
    /// A bare GET request carrying `cookie`, for calling `Accounts` directly.
    static func with(cookie: String) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/", headerFields: [.cookie: cookie]),
                body: RequestBody(buffer: ByteBuffer()))
    }
}
