import PaperboyCore

/// One harvest at a time per store, even across processes: a harvest runs while it holds the
/// store's `harvest` lock (`PaperStore.lock(_:)`), which its process's end releases however
/// it ends, so a harvest killed mid-page never keeps the next one out.
public enum HarvestLock {
    public static let name = "harvest"

    /// Runs `body` holding the lock, and releases it after. Throws `HarvestBusy` at once,
    /// running nothing, while another harvest holds it.
    public static func whileHeld<T: Sendable>(on store: any PaperStore, _ body: () async throws -> T) async throws -> T {
        guard let result = try await store.whileHolding(name, body) else { throw HarvestBusy() }
        return result
    }
}

/// Another harvest holds the store's lock.
public struct HarvestBusy: Error, CustomStringConvertible {
    public var description: String {
        "Another harvest is running on this store; try again when it ends."
    }
}
