import Foundation
import PaperboyCore
import PaperboyTesting
import StoragePostgres
import Testing

extension NodeSuites {
    /// Two `paperboy serve` processes over one PostgreSQL database, both with mail configured,
    /// started at once while 40 confirmed subscriptions are due: both try to compose the digest
    /// batch and both deliver the outbox every second to a slow real SMTP server (aiosmtpd), and
    /// it receives exactly one digest per subscriber.
    @Suite struct TwoNodeDigestTests {
        static let subscribers = 40

        @Test func aDigestBatchOnTwoNodesSendsEachDigestOnce() async throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let url = try PostgresServer.shared().freshDatabase()
            let now = Date()

            // Papers published an hour ago that every subscriber's saved search finds.
            let papers = dir.file("new.jsonl")
            try Self.snapshotLines(count: 3, published: now.addingTimeInterval(-3_600)).write(to: papers)
            let importer = CommandRunner(dataDirectory: dir.file("import"))
            let imported = try importer.run(["import", papers.path], extraEnvironment: ["PAPERBOY_STORE_URL": url])
            try #require(imported.status == 0, "\(imported.stderr)")

            // Subscriptions confirmed two days ago, daily at midnight UTC: due now, never sent.
            let store = try await PostgresStore.open(url: url)
            let options = try DigestOptions(frequency: .daily, sendHour: 0, timeZone: "UTC", includesTrending: false,
                                            savedSearches: ["diphoton"])
            for number in 0..<Self.subscribers {
                let subscription = try await store.subscribe(SubscriptionRequest(email: "reader\(number)@example.org", options: options),
                                                             at: now.addingTimeInterval(-2 * 86_400))
                _ = try await store.confirm(subscription.id, at: now.addingTimeInterval(-2 * 86_400))
            }
            #expect(try await store.dueSubscriptions(at: now, limit: 100).count == Self.subscribers)

            // A slow server (0.1 s per message) keeps one node's delivery pass going while the
            // other's starts, so both reach for the same messages.
            var slow = MailServer.Options()
            slow.delay = 0.1
            try await MailServer.with(slow) { mail in
                var environment = mail.environment
                environment["PAPERBOY_STORE_URL"] = url
                environment["PAPERBOY_MAIL_SEND_EVERY_SECONDS"] = "1"
                environment["PAPERBOY_SERVER_PUBLIC_URL"] = "https://papers.example.org"   // one-click unsubscribe needs https
                environment["PAPERBOY_MODEL"] = dir.file("no-model").path
                let nodes = try [dir.file("a"), dir.file("b")].map { try ServeNode(CommandRunner(dataDirectory: $0), environment) }
                defer { nodes.forEach { $0.stop() } }

                let deadline = ContinuousClock.now + .seconds(120)
                while try mail.received().count < Self.subscribers, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await Task.sleep(for: .seconds(3))   // both nodes' senders run a few more times
                let recipients = try mail.received().flatMap(\.envelope.rcptTos)
                #expect(recipients.count == Self.subscribers, "\(recipients.count) digests arrived for \(Self.subscribers) subscribers\n\(mail.log)\n\(nodes.map { $0.log.suffix(2_000) })")
                #expect(Set(recipients) == Set((0..<Self.subscribers).map { "reader\($0)@example.org" }))
                let subjects = try mail.received().flatMap { $0.header("Subject") }
                #expect(subjects.allSatisfy { $0.hasPrefix("Paperboy digest") }, "\(subjects.prefix(3))")
            }
            #expect(try await store.outboxCounts() == OutboxCounts(sent: Self.subscribers))
        }

        /// Lines of an arXiv metadata snapshot: papers about diphoton production, published at
        /// `published`.
        static func snapshotLines(count: Int, published: Date) throws -> Data {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss 'GMT'"
            let lines = try (1...count).map { number in
                let record: [String: Any] = [
                    "id": "2611.9000\(number)", "submitter": "A. Author", "authors": "A. Author, B. Author",
                    "title": "Diphoton production at the collider, part \(number)",
                    "abstract": "We compute diphoton production cross sections at next-to-leading order, case \(number).",
                    "categories": "hep-ph", "versions": [["version": "v1", "created": formatter.string(from: published)]],
                ]
                return String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
            }
            return Data((lines.joined(separator: "\n") + "\n").utf8)
        }
    }
}
