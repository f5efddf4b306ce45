import Foundation

/// A real PostgreSQL server for tests: the one `PAPERBOY_TEST_POSTGRES_URL` names (`.ci/run`
/// starts a throwaway cluster and sets it), else a throwaway cluster of this process's own,
/// made with the installed `initdb` in a temporary directory and stopped when the process exits.
///
/// Every test store gets a new database (`freshDatabase()`), so tests never see each other's
/// rows and can run in parallel.
public final class PostgresServer: Sendable {
    /// The server's URL, on its `postgres` database.
    public let url: String
    /// The cluster's directory when this process started the server, for `restart()`.
    public let dataDirectory: String?
    private let binaries: String?
    private let port: Int

    /// The server every test shares.
    public static func shared() throws -> PostgresServer {
        try sharedServer.get()
    }

    private static let sharedServer: Result<PostgresServer, any Error> = Result {
        if let url = ProcessInfo.processInfo.environment["PAPERBOY_TEST_POSTGRES_URL"], !url.isEmpty {
            return PostgresServer(url: url)
        }
        let server = try PostgresServer.start()
        atexit { PostgresServer.stopAtExit() }
        return server
    }

    private static func stopAtExit() {
        guard case .success(let server) = sharedServer else { return }
        server.stop()
        if let directory = server.dataDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }

    private init(url: String) {
        self.url = url
        dataDirectory = nil
        binaries = nil
        port = URLComponents(string: url)?.port ?? 5432
    }

    private init(url: String, dataDirectory: String, binaries: String, port: Int) {
        self.url = url
        self.dataDirectory = dataDirectory
        self.binaries = binaries
        self.port = port
    }

    /// Starts a new cluster of its own on a free loopback port (for tests that stop or restart
    /// their server). Runs the server as `postgres` when this process is root, since
    /// PostgreSQL refuses to run as root.
    public static func start() throws -> PostgresServer {
        guard let binaries = findBinaries() else {
            throw TestFailure("no PostgreSQL server found: install it (apt-get install postgresql) or set PAPERBOY_TEST_POSTGRES_URL")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("paperboy-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 {
            try run("/bin/chown", ["postgres:postgres", directory])
        }
        try runAsServerUser("\(binaries)/initdb", ["-D", "\(directory)/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
        let port = try FreePort.find()
        let server = PostgresServer(url: "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable",
                                    dataDirectory: directory, binaries: binaries, port: port)
        try server.startServer()
        return server
    }

    /// Creates an empty database and returns its URL, with a `connect_timeout` of a minute by
    /// default: the test process runs many tests at once, and on two cores a request's turn
    /// for a connection can come later than the 5 s a node allows by default.
    public func freshDatabase(connectTimeout: Int = 60) throws -> String {
        let name = "paperboy_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        guard var components = URLComponents(string: url) else { throw TestFailure("\(url) is not a URL") }
        var admin = components
        admin.queryItems = nil  // psql does not know Paperboy's own parameters
        try Self.run("/usr/bin/env", ["psql", "-q", "-v", "ON_ERROR_STOP=1", admin.string ?? url, "-c", "CREATE DATABASE \(name)"])
        components.path = "/" + name
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "connect_timeout" }
            + [URLQueryItem(name: "connect_timeout", value: "\(connectTimeout)")]
        return components.string ?? url
    }

    /// Stops the server (fast: open connections are cut) and starts it again on the same port.
    public func restart() throws {
        stop()
        try startServer()
    }

    /// Stops the server; a test that does this must `restart()` it.
    public func stop() {
        guard let dataDirectory, let binaries else { return }
        try? Self.runAsServerUser("\(binaries)/pg_ctl", ["-D", "\(dataDirectory)/data", "-m", "fast", "-w", "stop"])
    }

    private func startServer() throws {
        guard let dataDirectory, let binaries else { return }
        let options = "-p \(port) -k \(dataDirectory) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        try Self.runAsServerUser("\(binaries)/pg_ctl", ["-D", "\(dataDirectory)/data", "-l", "\(dataDirectory)/server.log", "-o", options, "-w", "start"])
    }

    private static func findBinaries() -> String? {
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
            .map { "/usr/lib/postgresql/\($0)/bin" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
    }

    private static func runAsServerUser(_ program: String, _ arguments: [String]) throws {
        if getuid() == 0 {
            // From /tmp: the server user may not be allowed into this process's directory.
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", "/usr/bin/env", "--chdir=/tmp", program] + arguments)
        } else {
            try run(program, arguments)
        }
    }

    /// Runs a program to its end. Its output goes to a file, not a pipe: `pg_ctl start` leaves
    /// the server holding its output open, so reading a pipe to its end would wait for the
    /// server to stop. Spawned and reaped directly (`posix_spawn`, `waitpid`): Foundation's
    /// `Process` can miss the exit of a program whose grandchild (the server) lives on.
    private static func run(_ program: String, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("paperboy-pg-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw TestFailure("could not start \(program): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestFailure("\(program) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
    }
}

/// A test's set-up failing, with the reason.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
