import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Testing

/// Two `paperboy serve` processes (nodes) on different ports and data directories, sharing one
/// PostgreSQL database, as behind a load balancer: a paper imported through one is found on
/// the other within 2 s, and a reader signed up on one is signed in on the other.
@Suite(.serialized) struct TwoNodeTests {
    @Test func papersAndReadersReachEveryNode() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let environment = [
            "PAPERBOY_STORE_URL": try PostgresServer.shared().freshDatabase(),
            "PAPERBOY_MODEL": dir.file("no-model").path,   // keywords alone: what is shared is the store
            "PAPERBOY_ACCOUNTS_BCRYPT_COST": "4",
        ]
        let nodeA = CommandRunner(dataDirectory: dir.file("a"))
        let nodeB = CommandRunner(dataDirectory: dir.file("b"))
        let first = try nodeA.run(["import", Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json").path],
                                  extraEnvironment: environment)
        try #require(first.status == 0, "\(first.stderr)")
        let a = try Node(nodeA, environment)
        defer { a.stop() }
        let b = try Node(nodeB, environment)
        defer { b.stop() }

        // A paper imported through node A's data directory, while both serve.
        let snapshot = Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")
        let query = Self.quoted("prompt diphoton production cross sections")   // 0704.0001's title
        #expect(try await b.get("/api/v1/search?q=" + query).body.contains("0704.0001") == false)
        let second = try nodeA.run(["import", snapshot.path], extraEnvironment: environment)
        try #require(second.status == 0, "\(second.stderr)")
        let imported = ContinuousClock.now
        var foundAfter: Duration?
        while foundAfter == nil, ContinuousClock.now - imported < .seconds(10) {
            if try await b.get("/api/v1/search?q=" + query).body.contains("0704.0001") {
                foundAfter = ContinuousClock.now - imported
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let after = try #require(foundAfter, "node B never found 0704.0001, imported through node A")
        #expect(after < .seconds(2), "node B found the paper \(after) after the import ended, not within 2 s")
        #expect(try await a.get("/api/v1/search?q=" + query).body.contains("0704.0001"))

        // A reader signs up on A; B knows the session and the reader's CSRF token.
        let signUpPage = try await a.get("/signup")
        let csrfCookie = try #require(signUpPage.cookies["paperboy_csrf"])
        let signedUp = try await a.post("/signup", form: [
            "email": "reader@example.org", "password": "a long enough passphrase",
            "csrf": try #require(Self.csrfField(in: signUpPage.body)),
        ], cookies: "paperboy_csrf=\(csrfCookie)")
        #expect(signedUp.status == 303, "signing up answered \(signedUp.status): \(signedUp.body)")
        let session = try #require(signedUp.cookies["paperboy_session"])
        let onB = try await b.get("/library", cookies: "paperboy_session=\(session)")
        #expect(onB.status == 200 && onB.body.contains("reader@example.org"), "node B does not know the session: \(onB.status)")
        let signedOut = try await b.post("/signout", form: ["csrf": try #require(Self.csrfField(in: onB.body))],
                                         cookies: "paperboy_session=\(session)")
        #expect(signedOut.status == 303, "node B refused the reader's own form: \(signedOut.status)")
        #expect(try await a.get("/library", cookies: "paperboy_session=\(session)").body.contains("reader@example.org") == false,
                "the session ended on B still works on A")
    }

    static func quoted(_ title: String) -> String {
        ("\"" + title + "\"").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? title
    }

    static func csrfField(in html: String) -> String? {
        guard let field = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[field.upperBound...].prefix { $0 != "\"" })
    }
}

/// One running `paperboy serve` and plain HTTP to it: no redirects followed, no cookies kept,
/// so the test says exactly which cookies each request carries.
private final class Node: Sendable {
    let process: Process
    let base: String
    private let session: URLSession

    init(_ cli: CommandRunner, _ environment: [String: String]) throws {
        let (process, out, err) = try cli.start(["serve", "--port", "0"], extraEnvironment: environment)
        self.process = process
        base = try CommandRunner.readyURL(from: out, server: process, err: err)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    struct Answer {
        var status: Int
        var body: String
        var cookies: [String: String]
    }

    func get(_ path: String, cookies: String? = nil) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.setValue(cookies, forHTTPHeaderField: "Cookie")
        return try await send(request)
    }

    func post(_ path: String, form: [String: String], cookies: String) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = "POST"
        request.setValue(cookies, forHTTPHeaderField: "Cookie")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        request.httpBody = Data(form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&").utf8)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> Answer {
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var cookies: [String: String] = [:]
        for case let (name as String, value as String) in http.allHeaderFields where name.lowercased() == "set-cookie" {
            for cookie in value.components(separatedBy: ", ") {   // folded into one field on Linux
                let pair = cookie.prefix { $0 != ";" }.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            }
        }
        return Answer(status: http.statusCode, body: String(decoding: data, as: UTF8.self), cookies: cookies)
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
