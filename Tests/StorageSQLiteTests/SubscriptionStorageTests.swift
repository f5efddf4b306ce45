import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// The SQLite subscriptions: every shared behaviour against a real file, and a secret that
/// is the store's own and outlives the process.
struct SubscriptionStorageTests {
    @Test(arguments: SubscriptionStoreBehaviour.all.map(\.name))
    func subscriptionBehaviour(_ name: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try await SubscriptionStoreBehaviour.run(name, on: try PaperDatabase.file(at: dir.file("paperboy.sqlite")))
    }

    @Test func theSecretAndSubscriptionsSurviveReopeningAndDifferPerStore() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let start = SubscriptionStoreBehaviour.start
        let secret: [UInt8]
        let id: SubscriptionID
        do {
            let store = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
            secret = try await store.siteSecret()
            id = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: SubscriptionStoreBehaviour.options()), at: start).id
            _ = try await store.confirm(id, at: start)
        }
        let reopened = try PaperDatabase.file(at: dir.file("paperboy.sqlite"))
        #expect(try await reopened.siteSecret() == secret)
        #expect(try await reopened.dueSubscriptions(at: start + 86_400, limit: 10).map(\.id) == [id])
        let other = try PaperDatabase.file(at: dir.file("other.sqlite"))
        #expect(try await other.siteSecret() != secret)
    }
}
