import Foundation
import Mailer
import PaperboyCore
@testable import PaperboyServer
import PaperboyTesting

/// What the digest tests share: settings for `https://paperboy.example`, a signer with a fixed
/// secret, and subscriptions and sections built from the fixture papers.
enum DigestFixture {
    static let secret = Array(SHA256.hex(Array("digest tests".utf8)).utf8.prefix(32))
    static let settings = try! DigestSettings(baseURL: "https://paperboy.example/", from: "digest@paperboy.example")
    static let composer = DigestComposer(settings: settings, signer: LinkSigner(secret: secret))
    /// Thursday 2026-11-26, 08:00:30 UTC.
    static let now = Date(timeIntervalSince1970: 1_795_680_030)

    static func subscription(id: Int64 = 42, email: String = "ada@example.org", reader: ReaderID? = nil,
                             searches: [String] = []) throws -> Subscription {
        Subscription(id: SubscriptionID(rawValue: id), email: email, reader: reader, state: .confirmed,
                     options: try DigestOptions(sendHour: 8, savedSearches: searches),
                     createdAt: now - 86_400, confirmedAt: now - 86_400)
    }

    static let due = DuePeriod(period: DigestPeriod(rawValue: "2026-11-26"), scheduledAt: now - 30)

    /// Trending, one tag's recommendations and one saved search, from real papers.
    static func sections(_ papers: [Paper]) -> [DigestSection] {
        [
            DigestSection(kind: .trending, entries: papers.prefix(3).map { DigestEntry(paper: $0) }),
            DigestSection(kind: .tag("MoE"), entries: papers.dropFirst(3).prefix(2).map {
                DigestEntry(paper: $0, reason: DigestReason(likeTitle: papers[0].title, tag: "MoE"))
            }),
            DigestSection(kind: .search("diffusion"), entries: papers.dropFirst(5).prefix(2).map { DigestEntry(paper: $0) }),
        ]
    }

    /// The fixture server's papers, newest first.
    static func papers() async throws -> [Paper] {
        let fixture = try await ServerFixture.shared.value
        return try await fixture.store.papers(matching: PaperQuery(limit: 20))
    }
}
