import Foundation
import Hummingbird
import HummingbirdTesting
import PaperboyServer
import Testing

/// What a reader types is text on every page that shows it, never markup.
struct AccountsEscapingTests {
    @Test func aScriptTypedAsAnEmailIsShownAsText() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var browser = TestBrowser()
            try await browser.get("/signup", client)
            let hostile = "<script>alert(1)</script>@example.org"
            for page in ["/signup", "/signin"] {
                let response = try await browser.post(page, [("email", hostile), ("password", "guess it right")], client)
                #expect(!response.text.contains("<script>alert"), "\(page) echoes the script")
                #expect(response.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;@example.org"), "\(page)")
            }
            let reset = try await browser.post("/reset", [("email", hostile)], client)
            #expect(!reset.text.contains("<script>alert") && reset.text.contains("&lt;script&gt;"))
        }
    }

    /// An address may hold `'` and `&`: the header shows it escaped on every page.
    @Test func aReadersAddressIsEscapedInEveryHeader() async throws {
        let fixture = try await AccountsFixture()
        try await fixture.test { client in
            var browser = try await fixture.signedUp("o'brien&co@example.org", client)
            #expect(browser.cookies["paperboy_session"] != nil)
            for page in ["/", "/trending", "/search?q=bert", "/papers/\(AccountsFixture.paper)", "/signin", "/missing"] {
                let text = try await browser.get(page, client).text
                #expect(text.contains("o&#39;brien&amp;co@example.org"), "\(page) does not show the address escaped")
                #expect(!text.contains("o'brien&co"), "\(page) shows the address raw")
            }
        }
    }
}
