import Embedding
import Foundation
import PaperboyTesting
import Testing

/// `python3 -m http.server` on a free port, serving a directory laid out like the Hugging Face
/// hub (`sentence-transformers/all-MiniLM-L6-v2/resolve/main/<file>`), so the real download
/// code runs against a real HTTP server.
struct LocalHubServer {
    let process: Process
    let root: URL
    let endpoint: URL

    /// Serves `files` (names inside the model directory) copied from `model`.
    init(serving files: [String], from model: URL, in directory: TemporaryDirectory) throws {
        root = directory.file("hub")
        let resolve = root.appendingPathComponent(ModelFiles.hubRepository + "/resolve/main")
        for name in files {
            let destination = resolve.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: model.appendingPathComponent(name), to: destination)
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", root.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        var banner = ""
        while !banner.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        let port = banner.split(separator: " ").firstIndex(of: "port").flatMap { index in
            Int(banner.split(separator: " ")[index + 1])
        }
        guard let port, let url = URL(string: "http://127.0.0.1:\(port)") else {
            kill(process.processIdentifier, SIGKILL)
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "http.server printed \(banner)"])
        }
        endpoint = url
    }

    /// The served copy of a model file, e.g. to damage it.
    func file(_ name: String) -> URL {
        root.appendingPathComponent(ModelFiles.hubRepository + "/resolve/main").appendingPathComponent(name)
    }

    /// Kills the server. SIGKILL, because the test runner blocks SIGTERM and children inherit
    /// that, so `terminate()` would never end it.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Copies of the real model for tests that damage or rearrange it.
enum ModelCopies {
    /// The installed real model, or nil after recording how to install it.
    static func realModel() -> URL? {
        let directory = Fixtures.modelDirectory
        guard ModelFiles.missingFiles(in: directory).isEmpty else {
            Issue.record("all-MiniLM-L6-v2 not found at \(directory.path). \(Fixtures.modelInstallHint)")
            return nil
        }
        return directory
    }

    /// Copies the required and optional files the real model has into `destination`.
    static func copy(_ model: URL, to destination: URL) throws {
        for name in ModelFiles.required + ModelFiles.optional {
            let source = model.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            let target = destination.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
    }

    /// Flips one byte in the middle of a file (inside the tensor data of the weights).
    static func flipByte(in file: URL) throws {
        let handle = try FileHandle(forUpdating: file)
        defer { try? handle.close() }
        let offset = try handle.seekToEnd() / 2
        try handle.seek(toOffset: offset)
        let byte = try handle.read(upToCount: 1)?.first ?? 0
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data([byte ^ 0x01]))
    }

    /// Entries of a models directory other than the installed model: leftovers of an install.
    static func leftovers(in models: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []).filter { $0 != ModelFiles.modelName }
    }
}
