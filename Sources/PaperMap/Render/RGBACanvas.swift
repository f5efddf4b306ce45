/// An RGBA picture being drawn: the map's dots laid on a background, and labels in
/// `BitmapFont` with a white halo so they read over any colour.
struct RGBACanvas {
    let width: Int
    let height: Int
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8)) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 255, count: width * height * 4)
        for pixel in stride(from: 0, to: pixels.count, by: 4) {
            pixels[pixel] = fill.0
            pixels[pixel + 1] = fill.1
            pixels[pixel + 2] = fill.2
        }
    }

    /// Lays `layer` (RGBA, `layerWidth × layerHeight`) over the canvas at `x`, `y` by its alpha.
    mutating func composite(_ layer: [UInt8], width layerWidth: Int, height layerHeight: Int, atX x: Int, y: Int) {
        for row in 0..<layerHeight where (0..<height).contains(y + row) {
            for column in 0..<layerWidth where (0..<width).contains(x + column) {
                let from = (row * layerWidth + column) * 4
                let alpha = Float(layer[from + 3]) / 255
                guard alpha > 0 else { continue }
                let to = ((y + row) * width + x + column) * 4
                for channel in 0..<3 {
                    pixels[to + channel] = UInt8(Float(layer[from + channel]) * alpha + Float(pixels[to + channel]) * (1 - alpha))
                }
            }
        }
    }

    /// The pixels `text` covers at `scale`, halo included.
    func textSize(_ text: String, scale: Int) -> (width: Int, height: Int) {
        (text.count * BitmapFont.width * scale + 2 * scale, BitmapFont.height * scale + 2 * scale)
    }

    /// Draws `text` with its top left corner (halo included) at `x`, `y`.
    mutating func drawText(_ text: String, atX x: Int, y: Int, scale: Int) {
        for (pass, color) in [(0, UInt8(255)), (1, UInt8(34))] {
            for (index, character) in text.enumerated() {
                let left = x + scale + index * BitmapFont.width * scale
                for (row, bits) in BitmapFont.rows(character).enumerated() {
                    for column in 0..<BitmapFont.width where bits & (1 << (BitmapFont.width - 1 - column)) != 0 {
                        let top = y + scale + row * scale, dotLeft = left + column * scale
                        // The halo: the glyph's pixels grown by `scale` in every direction, in white.
                        let grow = pass == 0 ? scale : 0
                        fill(x: dotLeft - grow, y: top - grow, size: scale + 2 * grow, gray: color)
                    }
                }
            }
        }
    }

    private mutating func fill(x: Int, y: Int, size: Int, gray: UInt8) {
        let rows = Self.clip(y, y + size, to: height), columns = Self.clip(x, x + size, to: width)
        for row in rows {
            for column in columns {
                let pixel = (row * width + column) * 4
                pixels[pixel] = gray
                pixels[pixel + 1] = gray
                pixels[pixel + 2] = gray
                pixels[pixel + 3] = 255
            }
        }
    }

    /// `low..<high` cut to `0..<limit` (empty when they do not meet).
    private static func clip(_ low: Int, _ high: Int, to limit: Int) -> Range<Int> {
        let upper = min(max(high, 0), limit)
        return min(max(low, 0), upper)..<upper
    }
}
