import ArgumentParser
import Foundation
import Logging
import PaperboyCore
import StoragePostgres
import StorageSQLite

/// Options every command shares: where the data lives and how much to log.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The data directory holding the paper store.",
        discussion: "Default: $PAPERBOY_DATA, else $XDG_DATA_HOME/paperboy, else ~/.local/share/paperboy.",
        valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp(
        "The paper store: a PostgreSQL URL (postgres://user:password@host:port/database) shared by several nodes.",
        discussion: "Default: store.url in paperboy.toml or $PAPERBOY_STORE_URL, else the SQLite file paperboy.sqlite in the data directory.",
        valueName: "url"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Log level for messages on standard error: trace, debug, info, notice, warning, error, critical (default: log.level in paperboy.toml, else notice).", valueName: "level"))
    var logLevel: Logger.Level?

    /// The resolved data directory.
    var dataDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let data { return URL(fileURLWithPath: data) }
        if let path = environment["PAPERBOY_DATA"], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("paperboy")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/paperboy")
    }

    /// The store file inside the data directory (the store unless a PostgreSQL URL is given).
    var storeFile: URL { dataDirectory.appendingPathComponent("paperboy.sqlite") }

    /// The settings of `paperboy.toml` in the data directory and the environment.
    func configuration() throws -> Configuration {
        try Configuration(file: dataDirectory.appendingPathComponent(Configuration.fileName))
    }

    /// The PostgreSQL URL to use, or nil for the SQLite file: `--store`, else the configuration.
    func storeURL() throws -> String? {
        if let store { return store }
        return try configuration().value(ConfigKeys.storeURL)
    }

    /// The store as messages name it: the file's path, or the URL without its password.
    var storeName: String {
        guard let url = try? storeURL() else { return storeFile.path }
        return (try? PostgresLocation(url: url).description) ?? url
    }

    /// Sets up logging and opens the store: the SQLite file, or PostgreSQL when a URL is set.
    func openStore() async throws -> any PaperboyStore {
        try bootstrapLogging()
        if let url = try storeURL() {
            // The data directory still holds this node's saved indexes and model.
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            return try await PostgresStore.open(url: url, logger: Logger(label: "paperboy.postgres"))
        }
        return try PaperDatabase.file(at: storeFile)
    }

    func bootstrapLogging() throws {
        let level = try logLevel ?? configuration().value(ConfigKeys.logLevel).flatMap { Logger.Level(rawValue: $0) } ?? .notice
        LoggingBootstrap.once {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Bootstraps swift-log at most once per process (tests run many commands in one process).
enum LoggingBootstrap {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var done = false

    static func once(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        body()
    }
}
