import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Testing

extension NodeSuites {
    /// `paperboy serve` on PostgreSQL while the database server is restarted under a stream of
    /// searches: the node stays up, says the store is unreachable on `/healthz` while it is,
    /// answers a search it showed before from memory meanwhile, and comes back by itself: searches answer again, and a paper imported after the restart
    /// reaches it through its change listener, which reconnected (the node polls the store only
    /// hourly here, so nothing else brings the paper within the test).
    @Suite struct PostgresRestartTests {
        @Test func aNodeRidesOutADatabaseRestart() async throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let database = try PostgresServer.start()   // a server of its own, to restart
            defer {
                database.stop()
                if let directory = database.dataDirectory { try? FileManager.default.removeItem(atPath: directory) }
            }
            let environment = ["PAPERBOY_STORE_URL": try database.freshDatabase(connectTimeout: 5),   // a node's default
                               "PAPERBOY_MODEL": dir.file("no-model").path,
                               "PAPERBOY_SERVER_PAGE_CACHE_MIB": "0",   // every search reads its papers from the store
                               "PAPERBOY_SERVER_REFRESH_SECONDS": "3600"]
            let cli = CommandRunner(dataDirectory: dir.file("data"))
            try ServeNode.importDailyPapers(cli, environment)
            let node = try ServeNode(cli, environment)
            defer { node.stop() }

            let load = SearchLoad(node: node)
            let searching = Task { await load.run() }
            try await Task.sleep(for: .seconds(1))
            #expect(await load.counts.failures == 0, "searches failed before the restart")
            let shown = "/api/v1/search?q=diffusion"
            let before = try await node.get(shown)
            try #require(before.status == 200 && before.body.contains("\"id\""), "\(before.status) \(before.body)")

            database.stop()
            let health = try await node.get("/healthz", timeout: 60)
            #expect(health.status == 503 && health.body.contains("unreachable"), "with the database down /healthz said \(health.status) \(health.body)")
            // A search whose papers were shown before is answered from memory, the same answer.
            let during = try await node.get(shown, timeout: 60)
            #expect(during.status == 200 && during.body == before.body,
                    "with the database down the search answered \(during.status) \(during.body.prefix(300))")
            try await Task.sleep(for: .seconds(1))
            try database.restart()
            let restarted = ContinuousClock.now

            var healthy = false
            while !healthy, ContinuousClock.now - restarted < .seconds(60) {
                healthy = (try? await node.get("/healthz", timeout: 5))?.status == 200
                if !healthy { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(healthy, "/healthz did not recover within 60 s of the restart")
            // Requests sent while the server was down may still be running out their time; once
            // one search succeeds, every later one must.
            await load.reset()
            while await load.counts.successes == 0, ContinuousClock.now - restarted < .seconds(60) {
                try await Task.sleep(for: .milliseconds(100))
            }
            await load.reset()
            let recovered = ContinuousClock.now
            while await load.counts.successes < 5, ContinuousClock.now - recovered < .seconds(60) {
                try await Task.sleep(for: .milliseconds(100))
            }
            let after = await load.counts
            #expect(after.failures == 0 && after.successes >= 5, "after the restart, searches still fail: \(after)\n\(node.log.suffix(4_000))")

            // The change listener reconnected: a paper imported now is found at once, not by polling only.
            let query = "%22prompt%20diphoton%20production%20cross%20sections%22"
            let second = try cli.run(["import", Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl").path],
                                     extraEnvironment: environment)
            try #require(second.status == 0, "\(second.stderr)")
            var found = false
            let imported = ContinuousClock.now
            while !found, ContinuousClock.now - imported < .seconds(60) {
                found = try await node.get("/api/v1/search?q=" + query).body.contains("0704.0001")
                if !found { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(found, "the paper imported after the restart never reached the node: the listener did not reconnect\n\(node.log.suffix(4_000))")
            searching.cancel()
            #expect(node.process.isRunning, "the node exited when the database went away")
        }
    }
}

/// Searches sent one after another until cancelled, counted; one not answered within 30 s
/// counts as failed (the client's own timeout is not relied on). The node fails a search
/// whose store is away after 5 s (`connect_timeout`); 30 s leaves room for a busy machine.
private actor SearchLoad {
    let node: ServeNode
    private var failures = 0
    private var successes = 0
    init(node: ServeNode) { self.node = node }

    func run() async {
        while !Task.isCancelled {
            let node = node
            let answered = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await node.get("/api/v1/search?q=language%20model", timeout: 30))?.status == 200 }
                group.addTask {
                    try? await Task.sleep(for: .seconds(30))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if answered { successes += 1 } else { failures += 1 }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    var counts: (failures: Int, successes: Int) { (failures, successes) }

    func reset() {
        failures = 0
        successes = 0
    }
}
