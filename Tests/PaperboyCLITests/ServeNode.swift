import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PaperboyTesting
import Synchronization
import Testing

/// The suites that run `paperboy serve` nodes over PostgreSQL, one after another: each
/// starts several processes, and side by side on two cores they starved one another.
@Suite(.serialized) enum NodeSuites {}

/// One running `paperboy serve` and plain HTTP to it: no redirects followed, no cookies kept,
/// so the test says exactly which cookies each request carries. Its output is read as it
/// comes (a node whose pipe fills up stops at its next log line) and kept for messages.
final class ServeNode: Sendable {
    let process: Process
    let base: String
    private let session: URLSession
    private let output = Output()

    init(_ cli: CommandRunner, _ environment: [String: String]) throws {
        let (process, out, err) = try cli.start(["serve", "--port", "0"], extraEnvironment: environment)
        self.process = process
        base = try CommandRunner.readyURL(from: out, server: process, err: err)
        for pipe in [out, err] {
            Thread { [output] in
                let handle = pipe.fileHandleForReading
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    output.text.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
                }
            }.start()
        }
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

    func get(_ path: String, cookies: String? = nil, timeout: TimeInterval = 60) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: base + path)), timeoutInterval: timeout)
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

    /// Imports the recorded Hugging Face daily papers through `cli`'s data directory (or the
    /// store `environment` names): the papers most node tests serve.
    static func importDailyPapers(_ cli: CommandRunner, _ environment: [String: String]) throws {
        let imported = try cli.run(["import", Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json").path],
                                   extraEnvironment: environment)
        try #require(imported.status == 0, "\(imported.stderr)")
    }

    /// The value of a page's hidden `csrf` field, to post its form back.
    static func csrfField(in html: String) -> String? {
        guard let field = html.range(of: #"name="csrf" value=""#) else { return nil }
        return String(html[field.upperBound...].prefix { $0 != "\"" })
    }

    /// The port the node listens on.
    var port: Int { Int(base.split(separator: ":").last ?? "") ?? 0 }

    /// What the node printed so far, for a failing expectation's message.
    var log: String { output.text.withLock { $0 } }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

private final class Output: Sendable {
    let text = Mutex("")
}

private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
