import Foundation
import Hummingbird
import PaperboyCore

/// What the subscription pages need from the server that hosts them: the store, the composer
/// (its signer and links), and the signed-in reader and CSRF token of a request, passed in as
/// closures so the pages do not depend on how accounts are built.
public struct SubscriptionPages: Sendable {
    public typealias Store = SubscriptionStore & OutboxStore

    let store: any Store
    let composer: DigestComposer
    let reader: @Sendable (Request) async throws -> ReaderID?
    let address: @Sendable (ReaderID) async throws -> String?
    let csrf: @Sendable (Request) -> String
    let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - reader: the signed-in reader of a request, if any: their subscription is tied to
    ///     their account and may hold recommendations.
    ///   - address: a reader's account address, which a new subscription form starts with.
    ///   - csrf: the token every form of the request's page carries.
    public init(store: any Store, composer: DigestComposer,
                reader: @escaping @Sendable (Request) async throws -> ReaderID? = { _ in nil },
                address: @escaping @Sendable (ReaderID) async throws -> String? = { _ in nil },
                csrf: @escaping @Sendable (Request) -> String = { _ in "" },
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.composer = composer
        self.reader = reader
        self.address = address
        self.csrf = csrf
        self.clock = clock
    }
}
