import Foundation
import NIOSSL
import PaperboyCore
import PostgresNIO

/// Where a PostgreSQL store lives, read from a connection URL in libpq's form:
/// `postgres://user:password@host:port/database?sslmode=prefer&pool_size=10`, or a Unix socket
/// directory as `postgres:///database?host=/var/run/postgresql`.
///
/// `sslmode` is `disable`, `prefer` (the default, as in libpq) or `require`; `pool_size` caps
/// the connections one process opens (default 10); `connect_timeout` is how many seconds a
/// connection may take to open, and a request may wait for a pooled one (default 5, as
/// libpq's parameter of that name bounds connecting).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// A Unix socket directory, used instead of `host` and `port` when set.
    public var socketDirectory: String?
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var poolSize: Int
    public var connectTimeout: Duration

    public enum SSLMode: String, Sendable {
        case disable, prefer, require
    }

    /// Whether `text` names a PostgreSQL store rather than a file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// - Throws: `PaperboyError` (`.invalidArgument`) naming what in the URL is wrong.
    public init(url text: String) throws {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw PaperboyError(.invalidArgument, "\(Self.redacted(text)): not a PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let socket = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? query["host"].flatMap { $0.hasPrefix("/") ? nil : $0 } ?? "localhost"
        port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        socketDirectory = socket
        username = components.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? username
        guard let mode = SSLMode(rawValue: query["sslmode"] ?? "prefer") else {
            throw PaperboyError(.invalidArgument, "\(Self.redacted(text)): sslmode must be disable, prefer or require")
        }
        sslMode = mode
        guard let size = Int(query["pool_size"] ?? "10"), (1...1000).contains(size) else {
            throw PaperboyError(.invalidArgument, "\(Self.redacted(text)): pool_size must be a number from 1 to 1000")
        }
        poolSize = size
        guard let timeout = Int(query["connect_timeout"] ?? "5"), (1...3_600).contains(timeout) else {
            throw PaperboyError(.invalidArgument, "\(Self.redacted(text)): connect_timeout must be a number of seconds from 1 to 3600")
        }
        connectTimeout = .seconds(timeout)
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        let user = username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? username
        if let socketDirectory { return "postgres://\(user)@/\(database)?host=\(socketDirectory)" }
        return "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// The same server and credentials, another database (tests make one per store).
    public func database(_ name: String) -> PostgresLocation {
        var copy = self
        copy.database = name
        return copy
    }

    /// The settings of the connection pool.
    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketDirectory {
            configuration = .init(unixSocketPath: socketPath(socketDirectory), username: username, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch sslMode {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.maximumConnections = poolSize
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    /// The settings of one connection outside the pool (a lock, a listener).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketDirectory {
            return .init(unixSocketPath: socketPath(socketDirectory), username: username, password: password, database: database)
        }
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .init(connectTimeout)
        return configuration
    }

    private func socketPath(_ directory: String) -> String {
        "\(directory)/.s.PGSQL.\(port)"
    }

    /// `text` with any password replaced, for error messages.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
