import Foundation
import PaperboyTesting
import Testing

/// `Tests/mcp/mcp_client.py`, the reference Python MCP client driving `paperboy mcp`, run to
/// completion or a deadline. Processes are waited for on threads of their own: a blocking wait
/// must not hold one of the two cooperative threads the other tests share.
enum PythonMCPClient {
    /// The PyPI package and version the script is written against (as `.ci/run` installs it).
    static let package = "mcp==2.3.0"

    static let script = Fixtures.projectRoot.appendingPathComponent("Tests/mcp/mcp_client.py")

    /// The script's JSON report, or an issue with everything it printed when it failed.
    static func report(_ arguments: [String], environment: [String: String] = [:],
                       timeout: Duration = .seconds(240)) async throws -> [String: Any] {
        let run = try await Self.run(["python3", script.path] + arguments, environment: environment, timeout: timeout)
        try #require(run.status == 0, "mcp_client.py failed (status \(run.status)):\n\(run.stderr)\n\(run.stdout)")
        let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return try #require(report, "mcp_client.py printed no JSON object: \(run.stdout)")
    }

    /// Fails, saying what to install, when python3 cannot import the client.
    static func require() async throws {
        let probe = try await run(["python3", "-c", "import mcp.client.streamable_http, mcp.client.stdio"], timeout: .seconds(60))
        guard probe.status == 0 else {
            Issue.record("python3 with the MCP client is needed: pip install \(package)\n\(probe.stderr)")
            throw CancellationError()
        }
    }

    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `command` (found on PATH) off the cooperative pool; killed at `timeout`.
    static func run(_ command: [String], environment: [String: String] = [:], timeout: Duration) async throws -> Output {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = PipeDrain(out), stderr = PipeDrain(err)
            let deadline = ContinuousClock.now + timeout
            while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                return Output(status: -1, stdout: stdout.text(), stderr: "timed out after \(timeout)\n" + stderr.text())
            }
            process.waitUntilExit()
            return Output(status: process.terminationStatus, stdout: stdout.text(), stderr: stderr.text())
        }
    }
}

/// Runs `body` on a new thread and awaits its result.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Reads a pipe to its end on a thread of its own, so the writer never blocks on a full pipe.
final class PipeDrain: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    init(_ pipe: Pipe) {
        Thread { [self] in
            let all = pipe.fileHandleForReading.readDataToEndOfFile()
            lock.withLock { data = all; done = true }
        }.start()
    }

    /// Everything read, once the pipe's writers have all closed it (waits at most 10 s).
    func text() -> String {
        let deadline = ContinuousClock.now + .seconds(10)
        while !lock.withLock({ done }), ContinuousClock.now < deadline { usleep(5_000) }
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
}
