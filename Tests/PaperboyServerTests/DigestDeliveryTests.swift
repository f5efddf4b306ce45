import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Mailer
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting
import StorageSQLite
import Testing

/// Digests composed from a store of real papers, delivered to a real SMTP server (aiosmtpd)
/// and read back by Python's `email` package: structure, headers, links, and an unsubscribe
/// link that works with a one-click POST.
struct DigestDeliveryTests {
    /// Every http(s) address in `text`, up to the first character a URL cannot hold.
    static func links(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "http") {
            // "\r\n" is one Character, and whitespace.
            let candidate = rest[start.lowerBound...].prefix { !$0.isWhitespace && !"\"<>'".contains($0) }
            if candidate.hasPrefix("https://") || candidate.hasPrefix("http://") { found.append(String(candidate)) }
            rest = rest[start.upperBound...]
        }
        return found
    }

    @Test func digestsArriveWholeAndTheirUnsubscribeLinkWorks() async throws {
        let fixture = try await ServerFixture.fresh()
        let store = fixture.store
        let composer = DigestComposer(settings: DigestFixture.settings, signer: LinkSigner(secret: try await store.siteSecret()))
        let run = DigestRun(store: store, sources: CatalogDigestSources(catalog: fixture.catalog), composer: composer)
        let ada = try await DigestRunTests.subscribe(store, "ada@example.org")
        let grace = try await DigestRunTests.subscribe(store, "grace@example.org", searches: ["language models"])
        let now = DigestRunTests.now
        #expect(try await run.run(at: now)?.enqueued == 2)

        // What the outbox holds is exactly what goes out: the same composition, byte for byte.
        var messages: [MailMessage] = []
        for subscription in [ada, grace] {
            let due = try #require(subscription.duePeriod(at: now))
            let message = try #require(try composer.digest(for: subscription, period: due,
                                                           sections: try await run.sections(for: subscription, due: due, at: now), at: now))
            let recorded = try #require(try await store.outboxMessage(key: DigestComposer.outboxKey(subscription.id, due.period)))
            #expect(recorded.draft.message == Data(message.rendered()))
            messages.append(message)
        }

        let received = try await MailServer.with { server in
            let outcomes = try await SMTPTransport(configuration: server.configuration()).send(messages)
            #expect(outcomes.allSatisfy { $0.isAccepted }, "\(outcomes)")
            return try server.received()
        }
        try #require(received.count == 2)
        var unsubscribeURLs: [String] = []
        for (mail, message) in zip(received, messages) {
            let parsed = mail.envelope.parsed
            #expect(parsed.defects == [])
            #expect(parsed.contentType == "multipart/alternative")
            #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(parsed.parts.allSatisfy { $0.charset == "utf-8" && !$0.body.isEmpty })
            #expect(parsed.from?.map(\.addrSpec) == ["digest@paperboy.example"])
            #expect(parsed.to?.map(\.addrSpec) == [message.to.addrSpec])
            #expect(mail.header("Subject") == [message.subject])
            #expect(mail.header("Message-ID") == [message.messageID.description])
            #expect(mail.header("Date") == ["Sat, 13 Jun 2026 08:00:30 +0000"])
            #expect(mail.header("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"])
            let listUnsubscribe = try #require(mail.header("List-Unsubscribe").first)
            #expect(listUnsubscribe.hasPrefix("<https://paperboy.example/unsubscribe/") && listUnsubscribe.hasSuffix(">"))
            unsubscribeURLs.append(String(listUnsubscribe.dropFirst().dropLast()))

            // Every link in both parts is absolute and points at this server; the paper links
            // open papers this server has.
            let text = parsed.parts[0].body, html = parsed.parts[1].body
            let textLinks = Self.links(in: text), htmlLinks = Self.links(in: html)
            #expect(textLinks.count >= 3 && textLinks.count == htmlLinks.count)
            #expect((textLinks + htmlLinks).allSatisfy { $0.hasPrefix("https://paperboy.example/") }, "\(textLinks + htmlLinks)")
            #expect(Set(textLinks) == Set(htmlLinks.map { $0.replacingOccurrences(of: "&amp;", with: "&") }))
            #expect(textLinks.contains(unsubscribeURLs.last ?? ""))
            for link in textLinks where link.hasPrefix("https://paperboy.example/papers/") {
                let id = String(link.dropFirst("https://paperboy.example/papers/".count)).removingPercentEncoding ?? ""
                let paperID = try #require(PaperID(id), "\(link)")
                #expect(try await store.paper(id: paperID) != nil, "\(link)")
            }
            #expect(!html.contains("<img") && !html.contains("<link"))
        }

        // The one-click POST a mail program makes: no cookie, the RFC 8058 body, 200, at once.
        let pages = SubscriptionPages(store: store, composer: composer, clock: { now })
        let router = try buildRouter(catalog: fixture.catalog, settings: ServerSettings(), accounts: nil, subscriptions: pages)
        let path = String(unsubscribeURLs[0].dropFirst("https://paperboy.example".count))
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await store.subscription(ada.id)?.state == .unsubscribed)
        #expect(try await store.subscription(grace.id)?.state == .confirmed)
        #expect(try await store.dueSubscriptions(at: now + 7 * 86_400, limit: 10).map(\.id) == [grace.id])
    }

    @Test func theConfirmationMailArrivesAndItsLinkConfirms() async throws {
        let fixture = try await ServerFixture.fresh()
        let store = fixture.store
        let composer = DigestComposer(settings: DigestFixture.settings, signer: LinkSigner(secret: try await store.siteSecret()))
        let now = DigestFixture.now
        let pending = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: try DigestOptions()), at: now)
        let message = try composer.confirmation(for: pending, at: now)
        let mail = try await MailServer.with { server in
            _ = try await SMTPTransport(configuration: server.configuration()).send([message])
            return try #require(try server.received().first)
        }
        #expect(mail.envelope.parsed.defects == [])
        #expect(mail.envelope.parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(mail.header("List-Unsubscribe").isEmpty, "a confirmation is not list mail")
        let link = try #require(Self.links(in: mail.envelope.parsed.parts[0].body).first)
        #expect(link.hasPrefix("https://paperboy.example/subscribe/confirm/"))

        let pages = SubscriptionPages(store: store, composer: composer, clock: { now + 3_600 })
        let router = try buildRouter(catalog: fixture.catalog, settings: ServerSettings(), accounts: nil, subscriptions: pages)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: String(link.dropFirst("https://paperboy.example".count)), method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await store.subscription(pending.id)?.state == .confirmed)
    }
}
