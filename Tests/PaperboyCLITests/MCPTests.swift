import Foundation
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Testing

/// `paperboy mcp` as an assistant uses it: the reference Python MCP client
/// (`Tests/mcp/mcp_client.py`) lists the tools and calls every one of them, over stdio and
/// over streamable HTTP, on the real seed papers and a reader's library saved through the
/// store. No embedding model: semantic search must say how to get one.
@Suite(.serialized) struct MCPTests {
    static let paper = "0704.0002"
    static let title = "Sparsity-certifying Graph Decompositions"
    static let saved = "0704.0001"
    static let reader = "reader@example.org"

    /// A data directory of seed papers and one reader, with what the tools should find in it.
    struct Catalog {
        var dir: TemporaryDirectory
        var cli: CommandRunner
        var latestDay: String
        var latestDayIDs: Set<String>
        /// No model, so the semantic answer is the same on every machine.
        var environment: [String: String]
    }

    static func seeded() async throws -> Catalog {
        let dir = try TemporaryDirectory()
        let cli = CommandRunner(dataDirectory: dir.file("data"))
        let files = try Fixtures.hfPages.map(\.path)
            + [Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl").path]
        let imported = try await offPool { try cli.run(["import"] + files) }
        try #require(imported.status == 0, "\(imported.stderr)")

        let store = try PaperDatabase.file(at: dir.file("data/paperboy.sqlite"))
        let reader = try #require(try await store.addReader(email: reader, passwordHash: "not used here", at: Date()))
        let first = try await store.save(try #require(PaperID(paper)), under: try LibraryTag("Graphs"), for: reader.id,
                                         at: Date(timeIntervalSinceNow: -60))
        let second = try await store.save(try #require(PaperID(saved)), under: .toRead, for: reader.id, at: Date())
        try #require(first != nil && second != nil, "the seed papers to save are missing")

        let newest = try #require(try await store.papers(matching: PaperQuery(limit: 1)).first?.published)
        let day = try #require(UTCDay.date(UTCDay.string(newest)))
        let ofDay = try await store.papers(matching: PaperQuery(since: day, until: day.addingTimeInterval(86_400), limit: 5_000))
        return Catalog(dir: dir, cli: cli, latestDay: UTCDay.string(day), latestDayIDs: Set(ofDay.map(\.id.rawValue)),
                       environment: ["PAPERBOY_MODEL": dir.file("no-model").path])
    }

    @Test func everyToolAnswersOverStdio() async throws {
        try await PythonMCPClient.require()
        let catalog = try await Self.seeded()
        defer { catalog.dir.remove() }
        let binary = try CommandRunner.executable.path
        let report = try await PythonMCPClient.report(
            ["stdio", binary, catalog.cli.dataDirectory.path, "--reader", Self.reader, "--query", Self.title,
             "--paper", Self.paper, "--tag", "graphs"], environment: catalog.environment)
        Self.check(Report(report), catalog)
    }

    @Test func everyToolAnswersOverStreamableHTTP() async throws {
        try await PythonMCPClient.require()
        let catalog = try await Self.seeded()
        defer { catalog.dir.remove() }
        let (server, out, err) = try catalog.cli.start(["mcp", "--http", "--port", "0", "--reader", Self.reader],
                                                      extraEnvironment: catalog.environment)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        let errors = PipeDrain(err)
        let url = try await offPool { try Self.readyURL(out, server: server) }
        #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix("/mcp"), "\(url)")

        let report = try await PythonMCPClient.report(["http", url, "--query", Self.title, "--paper", Self.paper, "--tag", "graphs"])
        Self.check(Report(report), catalog)

        // Without a session only an initialize may come in; an ended session is gone.
        #expect(try await Self.status(url, method: "GET", headers: ["Accept": "text/event-stream"]) == 400)
        #expect(try await Self.status(url, method: "DELETE", headers: ["Mcp-Session-Id": "no-such-session"]) == 404)

        kill(server.processIdentifier, SIGTERM)
        try await offPool {
            let deadline = ContinuousClock.now + .seconds(20)
            while server.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        }
        #expect(!server.isRunning, "the server ignored SIGTERM")
        #expect(server.terminationReason == .exit && server.terminationStatus == 0,
                "the server did not stop cleanly: \(server.terminationStatus)\n\(errors.text())")
    }

    @Test func withoutAReaderTheLibrarySaysHowToNameOne() async throws {
        try await PythonMCPClient.require()
        let catalog = try await Self.seeded()
        defer { catalog.dir.remove() }
        let report = Report(try await PythonMCPClient.report(
            ["stdio", try CommandRunner.executable.path, catalog.cli.dataDirectory.path, "--query", Self.title, "--paper", Self.paper],
            environment: catalog.environment))
        #expect(report.isError("library"))
        #expect(report.text("library").contains("--reader EMAIL"), "\(report.text("library"))")
        #expect(!report.isError("search"), "the other tools work without a reader")
    }

    /// Over stdio, standard output carries protocol messages and nothing else (the notice
    /// about the missing model goes to standard error), and closing standard input ends it.
    @Test func stdoutCarriesOnlyTheProtocol() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let binary = try CommandRunner.executable
        let run = try await offPool { () throws -> (lines: [String], status: Int32, stderr: String) in
            let process = Process()
            process.executableURL = binary
            process.arguments = ["mcp", "--data", dir.url.path]
            process.environment = ProcessInfo.processInfo.environment.merging(["PAPERBOY_MODEL": dir.file("no-model").path]) { $1 }
            let input = Pipe(), output = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            let stderr = PipeDrain(errors)
            let messages = [
                #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}"#,
                #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            ]
            input.fileHandleForWriting.write(Data((messages.joined(separator: "\n") + "\n").utf8))
            var text = ""
            let deadline = ContinuousClock.now + .seconds(60)
            while text.split(separator: "\n").count < 2, process.isRunning, ContinuousClock.now < deadline {
                text += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            }
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (text.split(separator: "\n").map(String.init), process.terminationStatus, stderr.text())
        }
        #expect(run.status == 0, "\(run.stderr)")
        let messages = run.lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(messages.allSatisfy { $0?["jsonrpc"] as? String == "2.0" }, "stdout: \(run.lines)")
        #expect(messages.compactMap { $0?["id"] as? Int } == [1, 2])
        let tools = (messages.last??["result"] as? [String: Any])?["tools"] as? [[String: Any]]
        #expect(tools?.count == 6)
        #expect(run.stderr.contains("No embedding model is installed"))
    }

    /// With the model and the papers' vectors, search by meaning finds a paper by its title.
    @Test func semanticSearchWorksWithTheModelInstalled() async throws {
        try await PythonMCPClient.require()
        guard Fixtures.modelInstalled else {
            Issue.record("all-MiniLM-L6-v2 not found at \(Fixtures.modelDirectory.path). \(Fixtures.modelInstallHint)")
            return
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cli = CommandRunner(dataDirectory: dir.url)
        let model = ["PAPERBOY_MODEL": Fixtures.modelDirectory.path]
        let page = try #require(Fixtures.hfPages.first)
        let listed = try await offPool { () throws -> CommandRunner.Result in
            _ = try cli.run(["import", page.path])
            let embedded = try cli.run(["embed"], extraEnvironment: model)
            guard embedded.status == 0 else { return embedded }
            return try cli.run(["list", "--json", "--limit", "1000"])
        }
        try #require(listed.status == 0, "\(listed.stderr)")
        let papers = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        try #require(papers.count > 3, "the page's papers were not imported")
        let id = try #require(papers[3]["id"] as? String), title = try #require(papers[3]["title"] as? String)

        let report = Report(try await PythonMCPClient.report(
            ["stdio", try CommandRunner.executable.path, dir.url.path, "--query", title, "--paper", id], environment: model))
        #expect(!report.isError("search_semantic"), "\(report.text("search_semantic"))")
        #expect(report.structured("search_semantic")["mode"] as? String == "semantic")
        #expect(report.ids("search_semantic").first == id, "the paper's own title finds it first")
        #expect(report.papers("similar_papers").count == 5 && !report.ids("similar_papers").contains(id))
    }

    /// What every transport must answer, call by call (the calls are in `mcp_client.py`).
    static func check(_ report: Report, _ catalog: Catalog) {
        #expect(report.tools == ["daily_papers", "get_paper", "library", "search", "similar_papers", "trending_papers"])
        let search = report.schema("search")
        #expect(search["required"] as? [String] == ["query"])
        let properties = search["properties"] as? [String: [String: Any]] ?? [:]
        #expect(Set(properties.keys) == ["query", "mode", "category", "since", "until", "limit", "offset"])
        #expect(properties.values.allSatisfy { ($0["description"] as? String)?.isEmpty == false }, "every argument is described")
        #expect(properties["mode"]?["enum"] as? [String] == ["hybrid", "keyword", "semantic"])

        // Search finds the paper by its title; pages, filters and mistakes behave.
        #expect(!report.isError("search"), "\(report.text("search"))")
        let found = report.papers("search")
        #expect(found.first?["id"] as? String == paper)
        #expect(found.first?["title"] as? String == title)
        #expect(found.first?["url"] as? String == "https://arxiv.org/abs/\(paper)")
        #expect((found.first?["authors"] as? [String])?.isEmpty == false)
        #expect(found.count == 5)
        #expect(found.allSatisfy { ($0["abstract"] as? String)?.count ?? 0 <= 601 }, "abstracts in lists are cut short")
        #expect(report.text("search").contains(title), "the text half names the papers too")
        #expect(report.ids("search_page2") == Array(report.ids("search").dropFirst(2).prefix(2)))
        #expect(report.structured("search_page2")["offset"] as? Int == 2)
        #expect(!report.isError("search_filtered") && report.papers("search_filtered").isEmpty)
        #expect(report.isError("search_semantic"))
        #expect(report.text("search_semantic").contains("mode") && report.text("search_semantic").contains("paperboy model install"),
                "\(report.text("search_semantic"))")
        #expect(report.isError("search_bad_limit") && report.text("search_bad_limit").contains("limit"), "\(report.text("search_bad_limit"))")
        #expect(report.isError("search_bad_mode") && report.text("search_bad_mode").contains("mode"))
        #expect(report.isError("search_unknown_argument") && report.text("search_unknown_argument").contains("colour"))

        // One paper, whole; an unknown or malformed id is an error naming it.
        let record = report.structured("get_paper")["paper"] as? [String: Any] ?? [:]
        #expect(record["id"] as? String == paper && record["title"] as? String == title)
        #expect((record["abstract"] as? String)?.count ?? 0 > 100)
        #expect(report.isError("get_paper_unknown") && report.text("get_paper_unknown").contains("1901.99999"))
        #expect(report.isError("get_paper_malformed") && report.text("get_paper_malformed").contains("id"))

        // Similar papers leave the paper itself out.
        #expect(!report.isError("similar_papers"), "\(report.text("similar_papers"))")
        #expect(report.papers("similar_papers").count == 5)
        #expect(!report.ids("similar_papers").contains(paper))
        #expect(report.isError("similar_bad_filter") && report.text("similar_bad_filter").contains("filter"))

        // The daily feed defaults to the latest day with papers, and holds only that day's.
        let daily = report.structured("daily_papers")
        #expect(daily["date"] as? String == catalog.latestDay)
        #expect(daily["total"] as? Int == catalog.latestDayIDs.count)
        #expect(!report.ids("daily_papers").isEmpty && Set(report.ids("daily_papers")).isSubset(of: catalog.latestDayIDs))
        #expect(report.ids("daily_papers").count == min(25, catalog.latestDayIDs.count))
        #expect(report.isError("daily_bad_date") && report.text("daily_bad_date").contains("date"))

        #expect(!report.isError("trending_papers"))
        #expect((1...5).contains(report.papers("trending_papers").count))

        // The library: what the test saved, newest save first; a tag narrows it (any case).
        #expect(!report.isError("library"), "\(report.text("library"))")
        let library = report.structured("library")
        #expect(library["reader"] as? String == reader)
        let entries = library["papers"] as? [[String: Any]] ?? []
        #expect(entries.compactMap { ($0["paper"] as? [String: Any])?["id"] as? String } == [saved, paper])
        #expect(entries.last?["tags"] as? [String] == ["Graphs"])
        let tags = library["tags"] as? [[String: Any]] ?? []
        #expect(tags.compactMap { $0["name"] as? String } == ["Graphs", "to read"])
        let tagged = report.structured("library_tag")["papers"] as? [[String: Any]] ?? []
        #expect(tagged.compactMap { ($0["paper"] as? [String: Any])?["id"] as? String } == [paper])
    }

    /// Reads `paperboy mcp --http`'s stdout until its ready line; returns the endpoint in it.
    static func readyURL(_ out: Pipe, server: Process) throws -> String {
        var text = ""
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty {
                guard server.isRunning else { break }
                usleep(20_000)
                continue
            }
            text += String(decoding: chunk, as: UTF8.self)
            if let match = text.firstMatch(of: /Paperboy MCP is listening at (http:\/\/\S+)\n/) { return String(match.1) }
        }
        throw NotListening(stdout: text)
    }

    struct NotListening: Error, CustomStringConvertible {
        var stdout: String
        var description: String { "paperboy mcp --http never said where it listens; stdout: \(stdout)" }
    }

    /// The status of one bare HTTP request.
    static func status(_ url: String, method: String, headers: [String: String]) async throws -> Int {
        let run = try await PythonMCPClient.run(["python3", "-c", """
            import sys, urllib.request, urllib.error
            request = urllib.request.Request(sys.argv[1], method=sys.argv[2], headers=dict(h.split(': ', 1) for h in sys.argv[3:]))
            try:
                print(urllib.request.urlopen(request, timeout=10).status)
            except urllib.error.HTTPError as error:
                print(error.code)
            """, url, method] + headers.map { "\($0.key): \($0.value)" }, timeout: .seconds(30))
        return Int(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}

/// `mcp_client.py`'s report, read.
struct Report {
    let json: [String: Any]

    init(_ json: [String: Any]) { self.json = json }

    var tools: [String] { json["tools"] as? [String] ?? [] }
    func schema(_ tool: String) -> [String: Any] { (json["schemas"] as? [String: Any])?[tool] as? [String: Any] ?? [:] }
    func call(_ label: String) -> [String: Any] { (json["calls"] as? [String: Any])?[label] as? [String: Any] ?? [:] }
    func isError(_ label: String) -> Bool { call(label)["isError"] as? Bool ?? false }
    func text(_ label: String) -> String { call(label)["text"] as? String ?? "" }
    func structured(_ label: String) -> [String: Any] { call(label)["structured"] as? [String: Any] ?? [:] }
    func papers(_ label: String) -> [[String: Any]] { structured(label)["papers"] as? [[String: Any]] ?? [] }
    func ids(_ label: String) -> [String] { papers(label).compactMap { $0["id"] as? String } }
}
