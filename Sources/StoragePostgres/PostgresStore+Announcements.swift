import Foundation
import Logging
import PaperboyCore
import PostgresNIO

/// Announcements of committed changes: every changing write notifies `changeChannel` at
/// commit (`upsert`), and each listening node holds one connection of its own on it.
extension PostgresStore: ChangeAnnouncing {
    /// Listens on a connection of its own, reconnecting with backoff (0.5 s doubling to 30 s)
    /// when it is lost; after each reconnection it yields the generation read then, since
    /// notifications sent while it was away are gone.
    public func announcedChanges() -> AsyncStream<Int64> {
        let location = location
        let logger = logger
        return AsyncStream { continuation in
            let listener = Task {
                var delay = Duration.milliseconds(500)
                var first = true
                while !Task.isCancelled {
                    do {
                        let connection = try await PostgresConnection.connect(
                            configuration: location.connectionConfiguration(), id: 0, logger: logger)
                        defer { Task { try? await connection.close() } }
                        try await connection.listen(on: Self.changeChannel) { notifications in
                            if !first {
                                logger.notice("listening for changes again", metadata: ["store": "\(location)"])
                                continuation.yield(try await Self.generation(connection, logger))
                            }
                            first = false
                            delay = .milliseconds(500)
                            for try await notification in notifications {
                                continuation.yield(Int64(notification.payload) ?? 0)
                            }
                        }
                    } catch {
                        if Task.isCancelled { break }
                        logger.warning("lost the change announcements; reconnecting", metadata: [
                            "store": "\(location)", "retry_in": "\(delay)", "error": "\(Self.explain(error))",
                        ])
                        first = false
                    }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(30))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in listener.cancel() }
        }
    }
}
