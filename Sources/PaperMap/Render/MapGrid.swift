/// The map's papers bucketed by place, so a tile reads only the papers inside it and a
/// pointer finds the paper under it without looking at a million others.
///
/// A `side × side` grid over the unit square; `order` lists paper indices cell by cell (row
/// by row), and cell `c`'s papers are `order[start[c]..<start[c + 1]]`.
public struct MapGrid: Sendable {
    public let side: Int
    private let order: [Int32]
    private let start: [Int32]

    /// 512 × 512 cells: about four papers a cell at a million papers.
    public init(points: [MapPoint], side: Int = 512) {
        self.side = side
        let cells = points.map { Self.cell($0, side: side) }
        var start = [Int32](repeating: 0, count: side * side + 1)
        for cell in cells { start[cell + 1] += 1 }
        for index in 1..<start.count { start[index] += start[index - 1] }
        var next = start
        var order = [Int32](repeating: 0, count: points.count)
        for (paper, cell) in cells.enumerated() {
            order[Int(next[cell])] = Int32(paper)
            next[cell] += 1
        }
        self.order = order
        self.start = start
    }

    /// Calls `body` with the index of every paper whose cell meets `region` (a few just
    /// outside it too: callers clip).
    public func forEachPaper(in region: MapRegion, _ body: (Int) -> Void) {
        let columns = cellRange(region.minX, region.maxX), rows = cellRange(region.minY, region.maxY)
        for row in rows {
            for column in columns {
                let cell = row * side + column
                for slot in Int(start[cell])..<Int(start[cell + 1]) { body(Int(order[slot])) }
            }
        }
    }

    /// The paper nearest `point` among `points` (the ones the grid was made from), if one lies
    /// within `radius`.
    public func nearest(to point: MapPoint, within radius: Float, points: [MapPoint]) -> Int? {
        var best: (paper: Int, distance: Float)?
        let region = MapRegion(minX: point.x - radius, minY: point.y - radius, maxX: point.x + radius, maxY: point.y + radius)
        forEachPaper(in: region) { paper in
            let dx = points[paper].x - point.x, dy = points[paper].y - point.y
            let distance = dx * dx + dy * dy
            if distance <= radius * radius, distance < best?.distance ?? .infinity { best = (paper, distance) }
        }
        return best?.paper
    }

    private func cellRange(_ low: Float, _ high: Float) -> ClosedRange<Int> {
        let first = Self.clamp(Int((low * Float(side)).rounded(.down)), side)
        let last = Self.clamp(Int((high * Float(side)).rounded(.down)), side)
        return first...max(first, last)
    }

    private static func cell(_ point: MapPoint, side: Int) -> Int {
        guard point.x.isFinite, point.y.isFinite else { return 0 }
        return clamp(Int(point.y * Float(side)), side) * side + clamp(Int(point.x * Float(side)), side)
    }

    private static func clamp(_ value: Int, _ side: Int) -> Int { min(max(value, 0), side - 1) }
}

/// A rectangle of the map, in map coordinates (0...1, y downwards).
public struct MapRegion: Sendable, Hashable {
    public var minX: Float
    public var minY: Float
    public var maxX: Float
    public var maxY: Float

    public init(minX: Float, minY: Float, maxX: Float, maxY: Float) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The whole map.
    public static let whole = MapRegion(minX: 0, minY: 0, maxX: 1, maxY: 1)

    /// Tile `x`, `y` of zoom level `zoom`: the map cut into 2^zoom × 2^zoom squares, as web
    /// maps number their tiles. Nil for a tile outside the map.
    public static func tile(zoom: Int, x: Int, y: Int) -> MapRegion? {
        guard (0...MapRegion.deepestZoom).contains(zoom) else { return nil }
        let tiles = 1 << zoom
        guard (0..<tiles).contains(x), (0..<tiles).contains(y) else { return nil }
        let size = 1 / Float(tiles)
        return MapRegion(minX: Float(x) * size, minY: Float(y) * size, maxX: Float(x + 1) * size, maxY: Float(y + 1) * size)
    }

    /// At zoom 14 a 256-pixel tile spans 1/16,384 of the map: papers a million strong are far
    /// apart by then.
    public static let deepestZoom = 14

    public var width: Float { maxX - minX }
    public var height: Float { maxY - minY }
}
