import Foundation
import PaperboyCore
import PaperboyTesting
import Testing
import ZIPFoundation
@testable import PaperMap

/// A map of `count` papers in topic `i % topics`, spread by a fixed generator.
func sampleMap(count: Int, topics: Int = 3, seed: UInt64 = 7) -> PaperMap {
    var generator = SplitMix64(seed: seed)
    let points = (0..<count).map { _ in MapPoint(x: generator.unit(), y: generator.unit()) }
    let ids = (0..<count).map { PaperID("title:\(String(format: "%016x", $0))")! }
    let topicList = (0..<topics).map { MapTopic(label: "topic \($0)", terms: ["t\($0)"], center: MapPoint(x: 0.5, y: 0.5), papers: 1) }
    return PaperMap(ids: ids, points: points, topicOfPaper: (0..<count).map { UInt16($0 % topics) },
                    publishedDay: Array(repeating: 20_000, count: count), topics: topicList, model: "m", computedAt: .now)
}

extension SplitMix64 {
    /// A float in 0..<1.
    mutating func unit() -> Float { Float(next() >> 40) / Float(1 << 24) }
}

/// Reads back what `PNGEncoder` wrote: the chunks' CRCs, zlib's Adler-32, and the pixels
/// after undoing the "up" filter.
func decodePNG(_ png: Data) throws -> (width: Int, height: Int, pixels: [UInt8]) {
    let bytes = [UInt8](png)
    #expect(Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    var offset = 8, width = 0, height = 0
    var compressed = Data()
    func uint32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
    while offset < bytes.count {
        let length = uint32(offset)
        let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
        let body = Data(bytes[offset + 8..<offset + 8 + length])
        #expect(UInt32(uint32(offset + 8 + length)) == Data(bytes[offset + 4..<offset + 8 + length]).crc32(checksum: 0), "\(type) CRC")
        if type == "IHDR" { width = uint32(offset + 8); height = uint32(offset + 12) }
        if type == "IDAT" { compressed.append(body) }
        offset += 12 + length
    }
    #expect(compressed.prefix(2) == Data([0x78, 0x9C]))
    var raw = Data()
    let deflated = compressed.dropFirst(2).dropLast(4)
    _ = try Data.decompress(size: Int64(deflated.count), bufferSize: 1 << 16, skipCRC32: true, provider: { position, size in
        let from = deflated.startIndex + Int(position)
        return Data(deflated[from..<min(from + size, deflated.endIndex)])
    }, consumer: { raw.append($0) })
    let adler = compressed.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    #expect(adler == PNGEncoder.adler32(raw))
    let stride = width * 4
    var pixels = [UInt8](repeating: 0, count: width * height * 4)
    for y in 0..<height {
        #expect(raw[y * (stride + 1)] == 2)
        for i in 0..<stride {
            let above = y > 0 ? pixels[(y - 1) * stride + i] : 0
            pixels[y * stride + i] = raw[y * (stride + 1) + 1 + i] &+ above
        }
    }
    return (width, height, pixels)
}

@Suite struct MapDrawingTests {
    @Test func aPNGReadsBackPixelForPixel() throws {
        var generator = SplitMix64(seed: 3)
        let pixels = (0..<(37 * 21 * 4)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let image = try decodePNG(try PNGEncoder.encode(width: 37, height: 21, pixels: pixels))
        #expect(image.width == 37 && image.height == 21)
        #expect(image.pixels == pixels)
    }

    @Test func adler32MatchesZlibsKnownValue() {
        // zlib.adler32(b"Wikipedia") == 0x11E60398
        #expect(PNGEncoder.adler32(Data("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test func theGridFindsTheSamePapersAsLookingAtEveryOne() {
        let map = sampleMap(count: 5_000)
        let grid = MapGrid(points: map.points, side: 64)
        let region = MapRegion(minX: 0.2, minY: 0.31, maxX: 0.45, maxY: 0.5)
        var found = Set<Int>()
        grid.forEachPaper(in: region) { found.insert($0) }
        let inside = map.points.indices.filter {
            map.points[$0].x >= region.minX && map.points[$0].x <= region.maxX && map.points[$0].y >= region.minY && map.points[$0].y <= region.maxY
        }
        #expect(Set(inside).isSubset(of: found))
        #expect(found.count < map.count / 5, "only the cells meeting the region are read")

        var generator = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let probe = MapPoint(x: generator.unit(), y: generator.unit())
            let brute = map.points.indices.min {
                hypot(map.points[$0].x - probe.x, map.points[$0].y - probe.y) < hypot(map.points[$1].x - probe.x, map.points[$1].y - probe.y)
            }!
            let distance = hypot(map.points[brute].x - probe.x, map.points[brute].y - probe.y)
            #expect(grid.nearest(to: probe, within: 0.05, points: map.points) == (distance <= 0.05 ? brute : nil))
        }
        #expect(grid.nearest(to: MapPoint(x: 3, y: 3), within: 0.01, points: map.points) == nil)
    }

    @Test func theLocatorFindsEveryPaperAndNoOther() {
        let map = sampleMap(count: 1_000)
        let locator = PaperLocator(map: map)
        for index in stride(from: 0, to: 1_000, by: 37) { #expect(locator.index(of: map.ids[index]) == index) }
        #expect(locator.index(of: PaperID("2401.00001")!) == nil)
    }

    @Test func tilesAreNumberedAsWebMapsNumberThem() throws {
        #expect(MapRegion.tile(zoom: 0, x: 0, y: 0) == .whole)
        #expect(MapRegion.tile(zoom: 2, x: 3, y: 1) == MapRegion(minX: 0.75, minY: 0.25, maxX: 1, maxY: 0.5))
        #expect(MapRegion.tile(zoom: 1, x: 2, y: 0) == nil)
        #expect(MapRegion.tile(zoom: MapRegion.deepestZoom + 1, x: 0, y: 0) == nil)
        #expect(try MapPainter(map: sampleMap(count: 10)).tile(zoom: 3, x: -1, y: 0) == nil)
    }

    @Test func aPaperIsDrawnInItsTopicsColourWhereItIsAndNowhereElse() throws {
        let id = PaperID("2401.01234")!
        let map = PaperMap(ids: [id], points: [MapPoint(x: 0.3, y: 0.7)], topicOfPaper: [1], publishedDay: [0],
                           topics: [], model: "m", computedAt: .now)
        let tile = try decodePNG(try #require(try MapPainter(map: map).tile(zoom: 0, x: 0, y: 0)))
        let pixel = (Int(0.7 * 256) * 256 + Int(0.3 * 256)) * 4
        let color = TopicPalette.color(1)
        #expect(Array(tile.pixels[pixel..<pixel + 3]) == [UInt8(color.red), UInt8(color.green), UInt8(color.blue)])
        #expect(tile.pixels[pixel + 3] > 0)
        let painted = stride(from: 3, to: tile.pixels.count, by: 4).filter { tile.pixels[$0] > 0 }.count
        #expect(painted <= 81, "one paper is one dot, at most 9 pixels across")
        let elsewhere = try decodePNG(try #require(try MapPainter(map: map).tile(zoom: 1, x: 1, y: 0)))
        #expect(elsewhere.pixels.allSatisfy { $0 == 0 }, "the tile without the paper is empty")
    }

    @Test func crowdedPixelsAreMoreOpaqueThanLoneOnes() {
        let map = sampleMap(count: 20_000, topics: 1)
        let sparse = MapPainter(map: sampleMap(count: 200, topics: 1))
        let dense = MapPainter(map: map).paint(.whole, width: 64, height: 64)
        let lone = sparse.paint(.whole, width: 64, height: 64)
        func meanAlpha(_ pixels: [UInt8]) -> Double {
            let alphas = stride(from: 3, to: pixels.count, by: 4).map { Double(pixels[$0]) }.filter { $0 > 0 }
            return alphas.reduce(0, +) / Double(alphas.count)
        }
        #expect(meanAlpha(dense) > meanAlpha(lone) + 60)
    }

    @Test func thePictureHasAWhiteGroundDotsAndLabels() throws {
        var map = sampleMap(count: 2_000)
        map.topics = [MapTopic(label: "graph neural networks", terms: [], center: MapPoint(x: 0.5, y: 0.5), papers: 2_000)]
        let painter = MapPainter(map: map)
        let withLabels = try decodePNG(try painter.picture(width: 400, height: 300, labels: true))
        let without = try decodePNG(try painter.picture(width: 400, height: 300, labels: false))
        #expect(withLabels.width == 400 && withLabels.height == 300)
        // The map is kept square and centred: the 50-pixel bands left and right stay white.
        #expect(without.pixels[(150 * 400 + 10) * 4] == 255)
        func dark(_ image: (width: Int, height: Int, pixels: [UInt8])) -> Int {
            stride(from: 0, to: image.pixels.count, by: 4).filter { image.pixels[$0] < 60 && image.pixels[$0 + 1] < 60 && image.pixels[$0 + 2] < 60 }.count
        }
        #expect(dark(withLabels) > dark(without) + 100, "the label's glyphs are drawn in dark grey")
    }

    @Test func labelsAtTheEdgeOrLongerThanThePictureStayOnIt() throws {
        var map = sampleMap(count: 500)
        map.topics = [MapTopic(label: "a label far longer than the picture is wide, in any case", terms: [], center: MapPoint(x: 0.99, y: 1), papers: 300),
                      MapTopic(label: "corner", terms: [], center: MapPoint(x: 0, y: 0), papers: 200)]
        let image = try decodePNG(try MapPainter(map: map).picture(width: 120, height: 90))
        #expect(image.width == 120 && image.height == 90)
        // The corner label is moved in whole: its first glyph's dark pixels are near the top left.
        let darkNearCorner = (0..<20).contains { y in (0..<20).contains { x in image.pixels[(y * 120 + x) * 4] < 60 } }
        #expect(darkNearCorner)
    }
}
