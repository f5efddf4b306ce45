import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PaperboyCore
import PaperboyServer
import Testing

/// Password reset: a mailed link, recorded in the outbox, that works once within an hour,
/// signs the reader in and ends every older session.
struct AccountsResetTests {
    @Test func aResetLinkSetsAPasswordOnceAndEndsOlderSessions() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            let old = try await fixture.signedUp("ada@example.org", client)
            var browser = TestBrowser()
            try await browser.get("/reset", client)
            let asked = try await browser.post("/reset", [("email", "Ada@example.org")], client)
            #expect(asked.status == .ok && asked.text.contains("If an account exists for Ada@example.org, a link"))

            let link = try #require(try await Self.mailedLink(fixture))
            #expect(link.hasPrefix("https://papers.example.org/reset/"))
            let path = String(link.dropFirst("https://papers.example.org".count))
            let form = try await browser.get(path, client)
            #expect(form.status == .ok && form.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            let tooShort = try await browser.post(path, [("password", "short")], client)
            #expect(tooShort.status == .badRequest && tooShort.text.contains("Password: must have at least 8 characters."))
            let set = try await browser.post(path, [("password", "a new password")], client)
            #expect(set.status == .seeOther && browser.cookies["paperboy_session"] != nil)
            #expect(try await browser.get("/", client).showsSignedIn)

            var stale = old
            #expect(try await stale.get("/", client).showsSignedIn == false)
            #expect(try await browser.get(path, client).status == .notFound)
            #expect(try await browser.post(path, [("password", "another password")], client).status == .notFound)

            var signIn = TestBrowser()
            try await signIn.get("/signin", client)
            #expect(try await signIn.post("/signin", [("email", "ada@example.org"), ("password", AccountsFixture.password)], client).status == .unauthorized)
            #expect(try await signIn.post("/signin", [("email", "ada@example.org"), ("password", "a new password")], client).status == .seeOther)
        }
    }

    @Test func aResetLinkExpiresAfterAnHour() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            _ = try await fixture.signedUp("ada@example.org", client)
            var browser = TestBrowser()
            try await browser.get("/reset", client)
            try await browser.post("/reset", [("email", "ada@example.org")], client)
            let link = try #require(try await Self.mailedLink(fixture))
            let path = String(link.dropFirst("https://papers.example.org".count))
            fixture.advance(by: 3_599)
            #expect(try await browser.get(path, client).status == .ok)
            fixture.advance(by: 1)
            let expired = try await browser.get(path, client)
            #expect(expired.status == .notFound && expired.text.contains("expired or has been used"))
            #expect(try await browser.post(path, [("password", "a new password")], client).status == .notFound)
        }
    }

    /// An unknown address gets the very same answer, and no mail.
    @Test func askingForAnUnknownAddressTellsNothing() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            _ = try await fixture.signedUp("ada@example.org", client)
            var browser = TestBrowser()
            try await browser.get("/reset", client)
            let known = try await browser.post("/reset", [("email", "ada@example.org")], client)
            let unknown = try await browser.post("/reset", [("email", "bob@example.org")], client)
            #expect(known.status == unknown.status)
            #expect(known.text.replacingOccurrences(of: "ada@example.org", with: "EMAIL")
                    == unknown.text.replacingOccurrences(of: "bob@example.org", with: "EMAIL"))
        }
        #expect(try await fixture.store.outboxCounts() == OutboxCounts(pending: 1))
    }

    /// The reset mail as recorded: to the reader, from the configured sender, with the link.
    @Test func theResetMailIsRecordedInTheOutbox() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            _ = try await fixture.signedUp("ada@example.org", client)
            var browser = TestBrowser()
            try await browser.get("/reset", client)
            try await browser.post("/reset", [("email", "ada@example.org")], client)
        }
        let message = try #require(try await Self.resetMessage(fixture))
        #expect(message.draft.recipient == "ada@example.org" && message.draft.sender == "accounts@paperboy.example")
        #expect(message.draft.key.hasPrefix("reset:") && message.draft.key.count == "reset:".count + 16)
        let text = String(decoding: message.draft.message, as: UTF8.self)
        #expect(text.contains("Subject: Reset your Paperboy password\r\n"))
        #expect(text.contains("To: ada@example.org\r\n"))
    }

    static func resetMessage(_ fixture: AccountsFixture) async throws -> OutboxMessage? {
        try await fixture.store.dueMessages(at: .distantFuture, limit: 10).first { $0.draft.key.hasPrefix("reset:") }
    }

    /// The link in the text part, quoted-printable soft line breaks undone.
    static func mailedLink(_ fixture: AccountsFixture) async throws -> String? {
        guard let message = try await resetMessage(fixture) else { return nil }
        let text = String(decoding: message.draft.message, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "")
        guard let start = text.range(of: "https://papers.example.org/reset/") else { return nil }
        return String(text[start.lowerBound...].prefix { !$0.isWhitespace && $0 != "<" && $0 != "\"" })
    }
}
