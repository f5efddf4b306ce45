import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Testing

/// Requests no browser sends, over raw TCP to a real `paperboy serve`: paths climbing out
/// with `..`, bodies announced larger than any form, and clients that open a request and
/// never finish it. Each fails if the protection goes.
@Suite(.serialized) struct AbuseTests {
    static func node(_ dir: TemporaryDirectory) throws -> (node: ServeNode, port: Int) {
        let environment = ["PAPERBOY_MODEL": dir.file("no-model").path]
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        try ServeNode.importDailyPapers(cli, environment)
        let node = try ServeNode(cli, environment)
        return (node, node.port)
    }

    /// One request over a fresh connection, the server asked to close it after answering.
    static func exchange(_ request: String, port: Int) throws -> String {
        let connection = try RawConnection(port: port)
        try connection.send(request)
        return connection.receive()
    }

    /// No address reaches a file outside what the server serves from memory: `..` in every
    /// spelling, raw and percent-encoded, in every route that takes a name or a path.
    @Test func pathsClimbingOutFindNothing() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (node, port) = try Self.node(dir)
        defer { node.stop() }
        let climbs = ["../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                      "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc/passwd", "..\\..\\..\\etc\\passwd", "%252e%252e%252fetc%252fpasswd",
                      "/etc/passwd", "..%00/etc/passwd"]
        let routes = ["/static/", "/feeds/category/", "/papers/", "/api/v1/papers/", "/library/", "/"]
        for route in routes {
            for climb in climbs {
                let answer = try Self.exchange("GET \(route)\(climb) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", port: port)
                let status = try #require(RawConnection.status(of: answer), "no HTTP answer for \(route)\(climb): \(answer.prefix(200))")
                #expect(!answer.contains("root:x:0:0"), "\(route)\(climb) served /etc/passwd")
                #expect(status != 200 || route == "/", "\(route)\(climb) answered \(status)")
                #expect(status < 500, "\(route)\(climb) answered \(status)")
            }
        }
    }

    /// A body announced larger than any form is refused with 413 before it is read; the
    /// import route allows more, and no more than that.
    @Test func oversizedBodiesAreRefusedBeforeTheyAreRead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (node, port) = try Self.node(dir)
        defer { node.stop() }
        for (path, length) in [("/signin", 100_000_000), ("/signup", 65_537), ("/subscribe", 10_000_000), ("/library/import", 1 << 30)] {
            let connection = try RawConnection(port: port)
            try connection.send("POST \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(length)\r\n\r\nemail=a")
            let answer = connection.receive()
            #expect(RawConnection.status(of: answer) == 413, "POST \(path) announcing \(length) bytes answered \(answer.prefix(120))")
        }
        let long = String(repeating: "a", count: 8_000)
        #expect(RawConnection.status(of: try Self.exchange("GET /search?q=\(long) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                                                           port: port)) == 414)
    }

    /// 300 clients that open a request and never finish it (slowloris) hold no reader up:
    /// searches are answered meanwhile, and the server is still up when they give up.
    @Test func clientsThatNeverFinishHoldNoOneUp() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (node, port) = try Self.node(dir)
        defer { node.stop() }
        var slow: [RawConnection] = []
        for number in 0..<300 {
            let connection = try RawConnection(port: port)
            try connection.send("GET /search?q=slow\(number) HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            slow.append(connection)
        }
        for _ in 0..<5 {
            let answer = try await node.get("/api/v1/search?q=diffusion", timeout: 60)
            #expect(answer.status == 200 && answer.body.contains("\"results\""))
            for connection in slow.prefix(50) { try? connection.send("x") }   // one more byte, never the end
        }
        slow.removeAll()
        #expect(try await node.get("/healthz").status == 200)
        #expect(node.process.isRunning)
    }
}
