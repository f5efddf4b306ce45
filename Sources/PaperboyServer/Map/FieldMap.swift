import PaperMap
import Synchronization

/// The map of the field the server draws and counts topic trends from: nil until
/// `paperboy map` has computed one, replaced when a newer one is saved.
public final class FieldMap: Sendable {
    private let map: Mutex<PaperMap?>

    public init(_ map: PaperMap? = nil) {
        self.map = Mutex(map)
    }

    /// The map as of now.
    public var current: PaperMap? { map.withLock { $0 } }

    public func replace(_ newMap: PaperMap?) {
        map.withLock { $0 = newMap }
    }
}
