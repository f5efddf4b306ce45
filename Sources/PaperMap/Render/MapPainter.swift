import Foundation

/// Draws the map: papers as dots coloured by topic, dense places darker, for the web app's
/// tiles and for `paperboy map --png`.
///
/// Each paper adds its topic's colour to the pixels under its dot; a pixel shows the mean
/// colour of the papers on it, more opaque the more papers there are. So a million papers at
/// the widest zoom become a density picture, and a zoomed-in tile shows each paper's dot.
public struct MapPainter: Sendable {
    public let map: PaperMap
    public let grid: MapGrid

    public init(map: PaperMap) {
        self.map = map
        grid = MapGrid(points: map.points)
    }

    /// `region` drawn into `width × height` RGBA pixels (transparent where there are no
    /// papers).
    public func paint(_ region: MapRegion, width: Int, height: Int) -> [UInt8] {
        let scaleX = Float(width) / region.width, scaleY = Float(height) / region.height
        let radius = dotRadius(pixelsPerUnit: scaleX)
        // Papers whose dot reaches in from just outside the region are drawn too, so dots
        // continue across tile edges.
        let margin = Float(radius + 1) / scaleX
        let reach = MapRegion(minX: region.minX - margin, minY: region.minY - margin,
                              maxX: region.maxX + margin, maxY: region.maxY + margin)
        var sums = [Float](repeating: 0, count: width * height * 4)
        grid.forEachPaper(in: reach) { paper in
            let point = map.points[paper]
            let px = Int(((point.x - region.minX) * scaleX).rounded(.down))
            let py = Int(((point.y - region.minY) * scaleY).rounded(.down))
            let color = TopicPalette.color(Int(map.topicOfPaper[paper]))
            for dy in -radius...radius where (0..<height).contains(py + dy) {
                for dx in -radius...radius where (0..<width).contains(px + dx) && dx * dx + dy * dy <= radius * radius + radius {
                    let pixel = ((py + dy) * width + px + dx) * 4
                    sums[pixel] += color.red
                    sums[pixel + 1] += color.green
                    sums[pixel + 2] += color.blue
                    sums[pixel + 3] += 1
                }
            }
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for pixel in stride(from: 0, to: sums.count, by: 4) where sums[pixel + 3] > 0 {
            let count = sums[pixel + 3]
            pixels[pixel] = UInt8(sums[pixel] / count)
            pixels[pixel + 1] = UInt8(sums[pixel + 1] / count)
            pixels[pixel + 2] = UInt8(sums[pixel + 2] / count)
            // One paper shows at about half strength; a handful make the pixel solid.
            pixels[pixel + 3] = UInt8(255 * (0.25 + 0.75 * (1 - exp(-count * 0.5))))
        }
        return pixels
    }

    /// Tile `x`, `y` of `zoom` as a 256-pixel PNG; nil for a tile outside the map.
    public func tile(zoom: Int, x: Int, y: Int) throws -> Data? {
        guard let region = MapRegion.tile(zoom: zoom, x: x, y: y) else { return nil }
        return try PNGEncoder.encode(width: Self.tileSize, height: Self.tileSize,
                                     pixels: paint(region, width: Self.tileSize, height: Self.tileSize))
    }

    public static let tileSize = 256

    /// The whole map as a `width × height` PNG on white, with the topics' labels: the map
    /// as a picture for documents and slides.
    public func picture(width: Int, height: Int, labels: Bool = true) throws -> Data {
        // Kept square: the map's coordinates are, and a stretched map misleads.
        let side = min(width, height)
        let offsetX = (width - side) / 2, offsetY = (height - side) / 2
        // A margin, so papers at the map's edges show whole dots.
        let margin: Float = 0.03
        let region = MapRegion(minX: -margin, minY: -margin, maxX: 1 + margin, maxY: 1 + margin)
        func pixel(_ coordinate: Float) -> Int { Int((coordinate + margin) / region.width * Float(side)) }
        let dots = paint(region, width: side, height: side)
        var canvas = RGBACanvas(width: width, height: height, fill: (255, 255, 255))
        canvas.composite(dots, width: side, height: side, atX: offsetX, y: offsetY)
        if labels {
            let scale = max(1, side / 500)
            var placed: [(x: Int, y: Int, width: Int, height: Int)] = []
            for topic in map.topics {
                let text = topic.label
                let size = canvas.textSize(text, scale: scale)
                // Centred on the topic, moved in as far as needed to stay whole on the picture.
                let x = min(max(0, offsetX + pixel(topic.center.x) - size.width / 2), max(0, width - size.width))
                let y = min(max(0, offsetY + pixel(topic.center.y) - size.height / 2), max(0, height - size.height))
                // Largest topics first; a label that would cover one already drawn is left out.
                let overlaps = placed.contains { x < $0.x + $0.width && $0.x < x + size.width && y < $0.y + $0.height && $0.y < y + size.height }
                if overlaps { continue }
                placed.append((x, y, size.width, size.height))
                canvas.drawText(text, atX: x, y: y, scale: scale)
            }
        }
        return try PNGEncoder.encode(width: width, height: height, pixels: canvas.pixels)
    }

    /// Dots grow as the view zooms in and papers spread apart: a single pixel when papers
    /// are packed, up to a 4-pixel radius when they are far apart.
    private func dotRadius(pixelsPerUnit: Float) -> Int {
        let spacing = pixelsPerUnit / Float(max(map.count, 1)).squareRoot()
        return min(4, Int(spacing * 0.15))
    }
}

/// One colour for each topic, told apart at a glance (Tableau's 20, which are made for that),
/// repeating after twenty.
public enum TopicPalette {
    public static func color(_ topic: Int) -> (red: Float, green: Float, blue: Float) {
        let hex = colors[topic % colors.count]
        return (Float(hex >> 16 & 0xFF), Float(hex >> 8 & 0xFF), Float(hex & 0xFF))
    }

    /// `#rrggbb` of a topic's colour, for the web page's legend.
    public static func css(_ topic: Int) -> String {
        String(format: "#%06x", colors[topic % colors.count])
    }

    private static let colors: [UInt32] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
        0xAEC7E8, 0xFFBB78, 0x98DF8A, 0xFF9896, 0xC5B0D5, 0xC49C94, 0xF7B6D2, 0xC7C7C7, 0xDBDB8D, 0x9EDAE5,
    ]
}
