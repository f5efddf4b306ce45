import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Testing

extension NodeSuites {
    /// SQL injection through every parameter a reader can send, on both stores: `paperboy
    /// serve` over a real SQLite file and over a real PostgreSQL database gets each payload in
    /// every query parameter, path segment and sign-in form field. Every payload holds a quote,
    /// so SQL built by pasting a value in would fail to parse and answer 500; none may, and the
    /// store must hold what it held, answering the same search the same way afterwards.
    @Suite struct InjectionTests {
        static let payloads = [
            "' OR '1'='1", "'; DROP TABLE papers; --", "\" OR 1=1 --", "1' UNION SELECT name FROM sqlite_master --",
            "x'); DELETE FROM readers; --", "%' AND pg_sleep(0) IS NULL --", "\\'; SELECT 1; --",
        ]

        /// Addresses with `P` where a payload goes.
        static let targets = [
            "/api/v1/search?q=P", "/api/v1/search?q=diffusion&cat=P", "/api/v1/search?q=diffusion&author=P",
            "/api/v1/search?q=diffusion&since=P", "/api/v1/search?q=diffusion&until=P", "/api/v1/search?q=diffusion&sort=P",
            "/api/v1/search?q=diffusion&mode=P", "/api/v1/search?q=diffusion&page=P", "/api/v1/search?q=diffusion&size=P",
            "/search?q=P", "/search?q=diffusion&cat=P&author=P&since=P&until=P&sort=P&mode=P&page=P",
            "/search/suggest?q=P", "/feeds/search.atom?q=P", "/feeds/category/P.atom",
            "/?date=P", "/?cat=P", "/?view=P&page=P", "/trending?cat=P",
            "/api/v1/daily?date=P&cat=P", "/api/v1/trending?cat=P", "/api/v1/papers/P", "/api/v1/papers/P/similar",
            "/papers/P", "/api/query?search_query=P", "/api/query?id_list=P", "/api/query?search_query=all:P&start=P&max_results=P",
            "/library/P", "/subscribe/confirm/P", "/unsubscribe/P", "/subscription/P", "/reset/P",
        ]

        @Test(arguments: ["SQLite", "PostgreSQL"])
        func noParameterReachesTheSQL(store: String) async throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            var environment = ["PAPERBOY_MODEL": dir.file("no-model").path, "PAPERBOY_ACCOUNTS_BCRYPT_COST": "4",
                               "PAPERBOY_SERVER_PAGE_CACHE_MIB": "0"]
            if store == "PostgreSQL" { environment["PAPERBOY_STORE_URL"] = try PostgresServer.shared().freshDatabase() }
            let cli = CommandRunner(dataDirectory: dir.file("data"))
            try ServeNode.importDailyPapers(cli, environment)
            let node = try ServeNode(cli, environment)
            defer { node.stop() }
            let sentinel = "/api/v1/search?q=diffusion"
            let before = (stats: try await node.get("/api/v1/stats").body, search: try await node.get(sentinel).body)

            var failures: [String] = []
            for payload in Self.payloads {
                let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? payload
                for target in Self.targets {
                    let path = target.replacingOccurrences(of: "P", with: encoded)
                    let answer = try await node.get(path)
                    if answer.status >= 500 { failures.append("\(answer.status) for \(path): \(answer.body.prefix(200))") }
                }
                for form in ["/signin", "/signup", "/reset"] {
                    let status = try await Self.post(payload, to: form, on: node)
                    if status >= 500 { failures.append("\(status) for \(form) with email \(payload)") }
                }
            }
            #expect(failures.isEmpty, "\(failures.count) answers failed:\n\(failures.prefix(10).joined(separator: "\n"))\n\(node.log.suffix(2_000))")
            #expect(try await node.get("/api/v1/stats").body == before.stats, "the store changed")
            #expect(try await node.get(sentinel).body == before.search, "the same search answers differently")
        }

        /// Posts a form whose every field is `payload`, with the page's own CSRF token; the status.
        static func post(_ payload: String, to path: String, on node: ServeNode) async throws -> Int {
            let page = try await node.get(path)
            let csrf = try #require(ServeNode.csrfField(in: page.body), "\(path) has no CSRF field")
            let cookie = try #require(page.cookies["paperboy_csrf"], "\(path) set no CSRF cookie")
            return try await node.post(path, form: ["email": payload, "password": payload, "csrf": csrf],
                                       cookies: "paperboy_csrf=\(cookie)").status
        }
    }
}
