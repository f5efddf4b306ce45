import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting
import StorageSQLite
import Testing

/// The subscription pages through the real router and a real store: double opt-in, signed
/// links, one-click unsubscribe without cookies, and forms that carry the CSRF token.
struct SubscriptionControllerTests {
    static let now = DigestFixture.now

    /// A fresh store, the pages over it signed with its own secret, and `reader` as the
    /// signed-in reader of every request.
    struct Pages {
        let fixture: ServerFixture
        let composer: DigestComposer
        var store: PaperDatabase { fixture.store }

        init(reader: ReaderID? = nil, clock: @escaping @Sendable () -> Date = { SubscriptionControllerTests.now }) async throws {
            fixture = try await ServerFixture.fresh()
            composer = DigestComposer(settings: DigestFixture.settings, signer: LinkSigner(secret: try await fixture.store.siteSecret()))
            setup = SubscriptionPages(store: fixture.store, composer: composer, reader: { _ in reader },
                                      csrf: { _ in "csrf-token-1" }, clock: clock)
        }

        let setup: SubscriptionPages

        func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
            let router = try buildRouter(catalog: fixture.catalog, settings: ServerSettings(), accounts: nil, subscriptions: setup)
            try await Application(router: router).test(.router, body)
        }

        func token(_ purpose: LinkPurpose, _ subscription: Subscription, at time: Date = SubscriptionControllerTests.now) -> String {
            composer.signer.token(purpose, for: subscription, at: time).text
        }
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func post(_ client: any TestClientProtocol, _ uri: String, _ body: String,
                     _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        try await client.execute(uri: uri, method: .post, headers: form, body: ByteBuffer(string: body)) { try await check($0) }
    }

    @Test func theFormCarriesTheCSRFTokenAndEveryChoice() async throws {
        let pages = try await Pages()
        try await pages.test { client in
            try await client.execute(uri: "/subscribe", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains(#"<input type="hidden" name="csrf" value="csrf-token-1">"#))
                for field in [#"name="email""#, #"name="frequency" value="weekly""#, #"name="weekday""#, #"name="hour""#,
                              #"name="timezone""#, #"name="timezone_other""#, #"name="trending""#, #"name="searches""#] {
                    #expect(html.contains(field), "\(field)")
                }
                #expect(!html.contains(#"name="recommendations""#), "recommendations need an account")
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test func subscribingRecordsAPendingSubscriptionAndOneConfirmationADay() async throws {
        let pages = try await Pages()
        let body = "email=Ada%40Example.org&frequency=weekly&weekday=3&hour=9&timezone=UTC&timezone_other=Europe%2FVienna"
            + "&trending=on&searches=mixture+of+experts%0D%0Adiffusion%0D%0A&csrf=csrf-token-1"
        try await pages.test { client in
            for _ in 0..<2 {
                try await Self.post(client, "/subscribe", body) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/subscribe/sent")
                }
            }
            try await client.execute(uri: "/subscribe/sent", method: .get) { response in
                #expect(response.text.contains("Check your inbox"))
            }
        }
        let subscription = try #require(try await pages.store.subscription(email: "ada@example.org"))
        #expect(subscription.state == .pending && subscription.reader == nil)
        #expect(subscription.options.frequency == .weekly(weekday: 3) && subscription.options.sendHour == 9)
        #expect(subscription.options.timeZone == "Europe/Vienna" && subscription.options.includesTrending)
        #expect(subscription.options.savedSearches == ["mixture of experts", "diffusion"])
        let mail = try #require(try await pages.store.outboxMessage(key: "confirm:\(subscription.id):2026-11-26"))
        #expect(mail.draft.recipient == "ada@example.org")
        #expect(try await pages.store.outboxCounts() == OutboxCounts(pending: 1), "posting again sends no second message that day")
    }

    @Test func badFieldsAreNamedAndTheFormKeepsWhatWasTyped() async throws {
        let pages = try await Pages()
        try await pages.test { client in
            for (body, field) in [("email=ada%40example.org&frequency=daily&hour=7&timezone=Mars%2FOlympus", "timezone:"),
                                  ("email=nobody&frequency=daily&hour=7&timezone=UTC", "email:"),
                                  ("email=ada%40example.org&frequency=hourly&hour=7&timezone=UTC", "frequency:"),
                                  ("email=ada%40example.org&frequency=daily&hour=24&timezone=UTC", "hour:"),
                                  ("email=ada%40example.org&frequency=daily&hour=7&timezone=UTC&searches=%22unclosed", "searches:")] {
                try await Self.post(client, "/subscribe", body) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.text.contains(field), "\(body)")
                    #expect(response.text.contains(#"name="csrf" value="csrf-token-1""#))
                }
            }
        }
        #expect(try await pages.store.subscriptionCounts().isEmpty)
    }

    @Test func aSignedInReadersSubscriptionIsTiedToTheAccount() async throws {
        let pages = try await Pages(reader: ReaderID(rawValue: 5))
        try await pages.test { client in
            try await client.execute(uri: "/subscribe", method: .get) { response in
                #expect(response.text.contains(#"name="recommendations""#))
            }
            try await Self.post(client, "/subscribe", "email=ada%40example.org&frequency=daily&hour=7&timezone=UTC&recommendations=on") { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/subscribe", method: .get) { response in
                #expect(response.text.contains(#"value="ada@example.org""#), "the form shows the account's subscription")
            }
        }
        let subscription = try #require(try await pages.store.subscription(reader: ReaderID(rawValue: 5)))
        #expect(subscription.email == "ada@example.org" && subscription.options.includesRecommendations)
    }

    @Test func theConfirmationLinkConfirmsUntilItExpires() async throws {
        let pages = try await Pages()
        let pending = try await pages.store.subscribe(SubscriptionRequest(email: "ada@example.org", options: try DigestOptions()), at: Self.now)
        let stale = pages.token(.confirm, pending, at: Self.now - 7 * 86_400)
        let fresh = pages.token(.confirm, pending)
        try await pages.test { client in
            try await client.execute(uri: "/subscribe/confirm/\(stale)", method: .get) { response in
                #expect(response.status == .gone)
                #expect(response.text.contains("expired"))
            }
            #expect(try await pages.store.subscription(pending.id)?.state == .pending)
            try await client.execute(uri: "/subscribe/confirm/\(fresh)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("You are subscribed"))
                #expect(response.text.contains("/subscription/"))
            }
            #expect(try await pages.store.subscription(pending.id)?.state == .confirmed)
            // The unsubscribe token is for another page.
            try await client.execute(uri: "/subscribe/confirm/\(pages.token(.unsubscribe, pending))", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func oneClickUnsubscribeNeedsNoCookieTakesEffectAtOnceAndReplaysHarmlessly() async throws {
        let pages = try await Pages()
        let subscription = try await pages.store.subscribe(SubscriptionRequest(email: "ada@example.org", options: try DigestOptions(sendHour: 8)), at: Self.now - 86_400)
        _ = try await pages.store.confirm(subscription.id, at: Self.now - 86_400)
        #expect(try await pages.store.dueSubscriptions(at: Self.now, limit: 10).count == 1)
        let token = pages.token(.unsubscribe, subscription)
        try await pages.test { client in
            try await client.execute(uri: "/unsubscribe/\(token)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(#"<form action="/unsubscribe/\#(token)" method="post">"#))
                #expect(response.text.contains(#"<input type="hidden" name="csrf" value="csrf-token-1">"#))
            }
            #expect(try await pages.store.subscription(subscription.id)?.state == .confirmed, "a GET changes nothing")
            for _ in 0..<2 {
                try await Self.post(client, "/unsubscribe/\(token)", "List-Unsubscribe=One-Click") { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("You are unsubscribed"))
                }
                #expect(try await pages.store.subscription(subscription.id)?.state == .unsubscribed)
                #expect(try await pages.store.dueSubscriptions(at: Self.now, limit: 10).isEmpty)
            }
            // The old confirmation link cannot bring it back.
            try await client.execute(uri: "/subscribe/confirm/\(pages.token(.confirm, subscription))", method: .get) { response in
                #expect(response.status == .gone)
            }
            #expect(try await pages.store.subscription(subscription.id)?.state == .unsubscribed)
        }
    }

    @Test func forgedOrDamagedLinksGetAClearPage() async throws {
        let pages = try await Pages()
        let subscription = try await pages.store.subscribe(SubscriptionRequest(email: "ada@example.org", options: try DigestOptions()), at: Self.now)
        var damaged = Array(pages.token(.unsubscribe, subscription))
        damaged[damaged.count - 3] = damaged[damaged.count - 3] == "A" ? "B" : "A"
        let other = DigestComposer(settings: DigestFixture.settings, signer: LinkSigner(secret: Array(repeating: 1, count: 32)))
        let damagedToken = String(damaged)
        let forged = other.signer.token(.unsubscribe, for: subscription, at: Self.now).text
        try await pages.test { client in
            for token in [damagedToken, forged, "nonsense", "dS40Mi4w"] {
                try await Self.post(client, "/unsubscribe/\(token)", "List-Unsubscribe=One-Click") { response in
                    #expect(response.status == .badRequest)
                    #expect(response.text.contains("This link does not work"))
                }
                try await client.execute(uri: "/subscription/\(token)", method: .get) { response in
                    #expect(response.status == .badRequest)
                }
            }
        }
        #expect(try await pages.store.subscription(subscription.id)?.state == .pending)
    }

    @Test func theManageLinkChangesOptionsButNotTheAddress() async throws {
        let pages = try await Pages()
        let subscription = try await pages.store.subscribe(SubscriptionRequest(email: "ada@example.org", options: try DigestOptions()), at: Self.now)
        _ = try await pages.store.confirm(subscription.id, at: Self.now)
        let path = "/subscription/\(pages.token(.manage, subscription))"
        try await pages.test { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("ada@example.org"))
                #expect(response.text.contains(#"<input type="hidden" name="csrf" value="csrf-token-1">"#))
                #expect(response.text.contains(#"<option value="7" selected>07:00</option>"#))
            }
            try await Self.post(client, path, "email=eve%40example.org&frequency=weekly&weekday=5&hour=18&timezone=Asia%2FTokyo&searches=moe") { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Your digest is updated"))
            }
        }
        let changed = try #require(try await pages.store.subscription(subscription.id))
        #expect(changed.email == "ada@example.org" && changed.state == .confirmed)
        #expect(changed.options.frequency == .weekly(weekday: 5) && changed.options.sendHour == 18 && changed.options.timeZone == "Asia/Tokyo")
        #expect(changed.options.savedSearches == ["moe"] && !changed.options.includesTrending)
    }
}
