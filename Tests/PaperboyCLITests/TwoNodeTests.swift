import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Testing

extension NodeSuites {
    /// Two `paperboy serve` processes (nodes) on different ports and data directories, sharing one
    /// PostgreSQL database, as behind a load balancer: a paper imported through one is found on
    /// the other, brought by the change announcement (the nodes poll the store only hourly
    /// here), and a reader signed up on one is signed in on the other. How soon the paper is
    /// found is measured by `bench/propagation_benchmark.py`, not here: the whole suite runs at
    /// once on two cores, and a bound on wall-clock time would measure the suite.
    @Suite struct TwoNodeTests {
        @Test func papersAndReadersReachEveryNode() async throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let environment = [
                "PAPERBOY_STORE_URL": try PostgresServer.shared().freshDatabase(),
                "PAPERBOY_MODEL": dir.file("no-model").path,   // keywords alone: what is shared is the store
                "PAPERBOY_ACCOUNTS_BCRYPT_COST": "4",
                "PAPERBOY_SERVER_REFRESH_SECONDS": "3600",   // only an announcement brings the paper in time
            ]
            let nodeA = CommandRunner(dataDirectory: dir.file("a"))
            let nodeB = CommandRunner(dataDirectory: dir.file("b"))
            try ServeNode.importDailyPapers(nodeA, environment)
            let a = try ServeNode(nodeA, environment)
            defer { a.stop() }
            let b = try ServeNode(nodeB, environment)
            defer { b.stop() }

            // A paper imported through node A's data directory, while both serve.
            let snapshot = Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")
            let query = Self.quoted("prompt diphoton production cross sections")   // 0704.0001's title
            #expect(try await b.get("/api/v1/search?q=" + query).body.contains("0704.0001") == false)
            let second = try nodeA.run(["import", snapshot.path], extraEnvironment: environment)
            try #require(second.status == 0, "\(second.stderr)")
            // Each node takes the announcement in on its own: either may be first.
            let imported = ContinuousClock.now
            for (name, node) in [("B", b), ("A", a)] {
                var found = false
                while !found, ContinuousClock.now - imported < .seconds(60) {
                    found = try await node.get("/api/v1/search?q=" + query).body.contains("0704.0001")
                    if !found { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(found, "node \(name) never found 0704.0001, imported through node A's data directory; it said:\n\(node.log.suffix(4_000))")
            }

            // A reader signs up on A; B knows the session and the reader's CSRF token.
            let signUpPage = try await a.get("/signup")
            let csrfCookie = try #require(signUpPage.cookies["paperboy_csrf"])
            let signedUp = try await a.post("/signup", form: [
                "email": "reader@example.org", "password": "a long enough passphrase",
                "csrf": try #require(ServeNode.csrfField(in: signUpPage.body)),
            ], cookies: "paperboy_csrf=\(csrfCookie)")
            #expect(signedUp.status == 303, "signing up answered \(signedUp.status): \(signedUp.body)")
            let session = try #require(signedUp.cookies["paperboy_session"])
            let onB = try await b.get("/library", cookies: "paperboy_session=\(session)")
            #expect(onB.status == 200 && onB.body.contains("reader@example.org"), "node B does not know the session: \(onB.status)")
            let signedOut = try await b.post("/signout", form: ["csrf": try #require(ServeNode.csrfField(in: onB.body))],
                                             cookies: "paperboy_session=\(session)")
            #expect(signedOut.status == 303, "node B refused the reader's own form: \(signedOut.status)")
            #expect(try await a.get("/library", cookies: "paperboy_session=\(session)").body.contains("reader@example.org") == false,
                    "the session ended on B still works on A")
        }

        static func quoted(_ title: String) -> String {
            ("\"" + title + "\"").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? title
        }
    }
}
