import Foundation
import PaperMap
import Synchronization

/// The map of the field the server draws and counts topic trends from: nil until
/// `paperboy map` has computed one, replaced when a newer one is saved.
///
/// What drawing and pointing need (the grid of places, the ids in order) is built once when a
/// map comes in, not per request: for a million papers that takes about a second.
public final class FieldMap: Sendable {
    private let state: Mutex<DrawnMap?>

    public init(_ map: PaperMap? = nil) {
        state = Mutex(map.map(DrawnMap.init))
    }

    /// The map as of now.
    public var current: PaperMap? { state.withLock { $0?.painter.map } }

    /// The map as of now with its grid and locator.
    var drawn: DrawnMap? { state.withLock { $0 } }

    public func replace(_ newMap: PaperMap?) {
        replace(newMap.map(DrawnMap.init))
    }

    func replace(_ drawn: DrawnMap?) {
        state.withLock { $0 = drawn }
    }
}

/// A map ready to draw and point into.
struct DrawnMap: Sendable {
    let painter: MapPainter
    let locator: PaperLocator

    init(_ map: PaperMap) {
        painter = MapPainter(map: map)
        locator = PaperLocator(map: map)
    }

    var map: PaperMap { painter.map }

    /// Names this map in tile addresses and caches: a new map gets new tiles.
    var version: String { String(Int(map.computedAt.timeIntervalSince1970 * 1_000), radix: 36) }
}
