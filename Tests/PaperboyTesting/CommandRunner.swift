import Foundation

/// Runs the built `paperboy` executable as a real process, the way a user runs it.
public struct CommandRunner: Sendable {
    /// The data directory every run uses.
    public let dataDirectory: URL

    public init(dataDirectory: URL) { self.dataDirectory = dataDirectory }

    /// What a finished run printed and how it exited.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `paperboy` binary SwiftPM built beside the test bundle.
    public static var executable: URL {
        get throws {
            var candidates = Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
            candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
            candidates.append(Fixtures.projectRoot.appendingPathComponent(".build/debug"))
            for directory in candidates {
                let binary = directory.appendingPathComponent("paperboy")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
            }
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "paperboy executable next to the tests"])
        }
    }

    /// Starts `paperboy ARGS --data DIR` without waiting for it, with `extraEnvironment`
    /// added to this process's environment.
    public func start(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = try Self.executable
        process.arguments = arguments + ["--data", dataDirectory.path]
        var environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { $1 }
        environment.removeValue(forKey: "PAPERBOY_DATA")
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs `paperboy ARGS --data DIR` to completion.
    public func run(_ arguments: [String], extraEnvironment: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(arguments, extraEnvironment: extraEnvironment)
        // Read both pipes before waiting so a chatty process never blocks on a full pipe.
        let errData = LockedData()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1_000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

extension CommandRunner {
    /// Reads a started `paperboy serve`'s stdout until its ready line and returns the
    /// address in it.
    public static func readyURL(from out: Pipe, server: Process, err: Pipe, timeout: Duration = .seconds(120)) throws -> String {
        let handle = out.fileHandleForReading
        var text = ""
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty {
                guard server.isRunning else { break }
                usleep(20_000)
                continue
            }
            text += String(decoding: chunk, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Paperboy is serving ") }),
               let match = line.firstMatch(of: /at (http:\/\/127\.0\.0\.1:\d+) \(ready in/) {
                return String(match.1)
            }
        }
        let errors = String(decoding: err.fileHandleForReading.availableData, as: UTF8.self)
        throw ServerNotReady(stdout: text, stderr: errors)
    }
}

/// A started server that never said it was ready.
public struct ServerNotReady: Error, CustomStringConvertible {
    public var stdout: String
    public var stderr: String
    public var description: String { "the server never said it was ready; stdout: \(stdout) stderr: \(stderr)" }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
