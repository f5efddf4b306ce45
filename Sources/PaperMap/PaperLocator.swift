import PaperboyCore

/// Finds a paper's place on the map by its id: search hits are highlighted on the map by id.
///
/// The map's positions sorted by id and searched by halves: a million ids need no
/// dictionary of a million strings beside the map, only one `Int32` each.
public struct PaperLocator: Sendable {
    private let ids: [PaperID]
    private let byID: [Int32]

    public init(map: PaperMap) {
        ids = map.ids
        byID = map.ids.indices.map(Int32.init).sorted { map.ids[Int($0)].rawValue < map.ids[Int($1)].rawValue }
    }

    /// The index of `id` on the map, nil when the map does not hold it (a paper added after
    /// the map was computed, or one without an embedding).
    public func index(of id: PaperID) -> Int? {
        var low = 0, high = byID.count
        while low < high {
            let middle = (low + high) / 2
            if ids[Int(byID[middle])].rawValue < id.rawValue { low = middle + 1 } else { high = middle }
        }
        guard low < byID.count, ids[Int(byID[low])] == id else { return nil }
        return Int(byID[low])
    }
}
