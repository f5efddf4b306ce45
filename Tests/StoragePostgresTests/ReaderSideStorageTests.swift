import Foundation
import PaperboyCore
import PaperboyTesting
@testable import StoragePostgres
import Testing

/// The PostgreSQL store's reader side: every shared outbox, reader, library and subscription
/// behaviour against a fresh database of a real server.
struct ReaderSideStorageTests {
    @Test(arguments: OutboxStoreBehaviour.all.map(\.name))
    func outboxBehaviour(_ name: String) async throws {
        try await OutboxStoreBehaviour.run(name, on: try await PostgresTestStore.fresh())
    }

    @Test(arguments: ReaderStoreBehaviour.all.map(\.name))
    func readerBehaviour(_ name: String) async throws {
        try await ReaderStoreBehaviour.run(name, on: try await PostgresTestStore.fresh())
    }

    @Test(arguments: LibraryStoreBehaviour.all.map(\.name))
    func libraryBehaviour(_ name: String) async throws {
        try await LibraryStoreBehaviour.run(name, on: try await PostgresTestStore.fresh())
    }

    @Test(arguments: SubscriptionStoreBehaviour.all.map(\.name))
    func subscriptionBehaviour(_ name: String) async throws {
        try await SubscriptionStoreBehaviour.run(name, on: try await PostgresTestStore.fresh())
    }
}

/// What only several nodes over one database need: claims, tokens, secrets and rows that two
/// stores racing on one database still agree on.
struct ReaderSideConcurrencyTests {
    /// Two stores (two nodes) on one new database.
    static func twoNodes() async throws -> (PostgresStore, PostgresStore) {
        let url = try PostgresServer.shared().freshDatabase()
        return (try await PostgresStore.open(url: url), try await PostgresStore.open(url: url))
    }

    /// A message handed to one node's sender is not handed to the other's, even when both ask
    /// at once, until its outcome frees it or the claim runs out.
    @Test func dueMessagesAreHandedToOneSender() async throws {
        let (first, second) = try await Self.twoNodes()
        let start = OutboxStoreBehaviour.start
        _ = try await first.enqueue((0..<40).map { OutboxStoreBehaviour.draft("m\($0)") }, at: start)
        async let a = first.dueMessages(at: start, limit: 25)
        async let b = second.dueMessages(at: start, limit: 25)
        let (claimedByFirst, claimedBySecond) = try await (a.map(\.id), b.map(\.id))
        #expect(Set(claimedByFirst).isDisjoint(with: claimedBySecond))
        #expect(claimedByFirst.count + claimedBySecond.count == 40)

        // Each node is handed its own claims again, never the other's.
        #expect(try await first.dueMessages(at: start + 1, limit: 100).map(\.id) == claimedByFirst)
        // A deferred message is free for any node once due again.
        let deferred = try #require(claimedByFirst.first)
        try await first.markDeferred(deferred, reason: "451 later", retryAt: start + 60)
        #expect(try await second.dueMessages(at: start + 60, limit: 100).map(\.id).contains(deferred))
        // A sender that stopped answering: its claims run out.
        let late = start + PostgresStore.outboxClaimLease + 1
        #expect(Set(try await second.dueMessages(at: late, limit: 100).map(\.id)) == Set(claimedByFirst + claimedBySecond))
    }

    /// One reset token, two requests at once: one sets the password, the other changes nothing.
    @Test func aResetTokenWorksOnceUnderARace() async throws {
        let (first, second) = try await Self.twoNodes()
        let start = ReaderStoreBehaviour.start
        let ada = try #require(try await first.addReader(email: "ada@example.org", passwordHash: "old", at: start))
        for round in 0..<10 {
            try await first.addResetToken(digest: "token \(round)", reader: ada.id, expiresAt: start + 3_600)
            async let a = first.resetPassword(tokenDigest: "token \(round)", passwordHash: "first \(round)", at: start)
            async let b = second.resetPassword(tokenDigest: "token \(round)", passwordHash: "second \(round)", at: start)
            let winners = [try await a, try await b].compactMap { $0 }
            #expect(winners == [ada.id])
        }
    }

    /// Every node asking for a secret at once gets the same bytes.
    @Test func everyNodeGetsOneSecret() async throws {
        let (first, second) = try await Self.twoNodes()
        let secrets = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for index in 0..<8 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.secret(named: "csrf") { [UInt8(index)] } }
            }
            return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
        }
        #expect(secrets.count == 1)
        #expect(try await first.siteSecret() == second.siteSecret())
    }

    /// Two nodes saving under one new tag, subscribing one address, at once: one tag, one
    /// subscription, every save counted in the revision.
    @Test func racingWritesMakeOneRow() async throws {
        let (first, second) = try await Self.twoNodes()
        let papers = SamplePapers.generated(count: 10)
        _ = try await first.upsert(papers)
        let ada = LibraryStoreBehaviour.ada
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, paper) in papers.enumerated() {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    _ = try await store.save([paper.id], under: LibraryStoreBehaviour.tag("MoE"), for: ada, at: LibraryStoreBehaviour.start)
                    _ = try await store.subscribe(SubscriptionRequest(email: "ada@example.org", options: SubscriptionStoreBehaviour.options()),
                                                  at: SubscriptionStoreBehaviour.start)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.tagSummaries(of: ada).map(\.count) == [10])
        #expect(try await second.library(of: ada).revision == 10)
        #expect(try await first.subscriptionCounts() == [.pending: 1])
    }
}
