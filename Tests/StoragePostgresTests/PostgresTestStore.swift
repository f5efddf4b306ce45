import Foundation
import PaperboyTesting
import StoragePostgres

/// A `PostgresStore` on a new, empty database of the test server.
enum PostgresTestStore {
    static func fresh() async throws -> PostgresStore {
        try await PostgresStore.open(url: try PostgresServer.shared().freshDatabase())
    }
}
