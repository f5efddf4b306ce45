import Foundation
import PaperboyCore

/// `map.bin` in the data directory: the computed map, saved by `paperboy map` and loaded by
/// the server to draw it and count topic trends.
///
/// Saving writes a temporary file beside the target (named after the process, so a killed
/// writer's leftovers are recognised and cleared by the next save), fsyncs it and renames it
/// over the target, so a reader sees the old map or the new one, never half of each. Loading
/// checks the magic, version, length and checksum, then every index and coordinate, and
/// throws a `PaperboyError` naming the file rather than show a damaged map.
public struct MapFile: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// `map.bin` in `dataDirectory`.
    public init(dataDirectory: URL) {
        url = dataDirectory.appendingPathComponent("map.bin")
    }

    public func save(_ map: PaperMap) throws {
        let body = Self.encodeBody(map)
        var header = ByteWriter()
        header.bytes.append(contentsOf: MapFileFormat.magic)
        header.integer(MapFileFormat.version)
        header.integer(UInt32(0))
        header.integer(UInt64(map.count))
        header.integer(UInt64(body.count))
        header.integer(body.withUnsafeBytes { MapChecksum.of($0) })
        try writeAtomically(header.bytes, body)
    }

    public func load() throws -> PaperMap {
        let data: Data
        do {
            data = try Data(readingFile: url)
        } catch {
            throw PaperboyError(.unreadableFile, "cannot read the map \(url.path)", cause: error)
        }
        return try data.withUnsafeBytes { try decode($0) }
    }

    private func damaged(_ why: String) -> PaperboyError {
        PaperboyError(.unreadableFile, "the map \(url.path) is damaged (\(why)); run `paperboy map` again")
    }

    private func decode(_ bytes: UnsafeRawBufferPointer) throws -> PaperMap {
        let headerLength = MapFileFormat.headerLength
        guard bytes.count >= headerLength else { throw damaged("\(bytes.count) bytes, shorter than its header") }
        guard Array(bytes[0..<8]) == MapFileFormat.magic else { throw damaged("not a Paperboy map file") }
        var header = ByteReader(bytes: bytes, offset: 8)
        let version = try header.integer(UInt32.self)
        guard version == MapFileFormat.version else {
            throw damaged("format version \(version), this Paperboy reads \(MapFileFormat.version)")
        }
        guard try header.integer(UInt32.self) == 0 else { throw damaged("unknown flags in the header") }
        let count = try header.integer(UInt64.self)
        let bodyLength = try header.integer(UInt64.self)
        let checksum = try header.integer(UInt64.self)
        guard UInt64(bytes.count - headerLength) == bodyLength else {
            throw damaged("\(bytes.count - headerLength) bytes of data where the header says \(bodyLength); the file was cut short or added to")
        }
        let body = UnsafeRawBufferPointer(rebasing: bytes[headerLength...])
        guard MapChecksum.of(body) == checksum else { throw damaged("checksum mismatch") }
        guard count <= UInt64(body.count) else { throw damaged("\(count) papers cannot fit") }
        do {
            return try decodeBody(body, count: Int(count))
        } catch is ByteReader.PastEnd {
            throw damaged("a section runs past the end")
        }
    }

    private func decodeBody(_ body: UnsafeRawBufferPointer, count n: Int) throws -> PaperMap {
        var reader = ByteReader(bytes: body, offset: 0)
        let model = try reader.string()
        let computedAt = Date(timeIntervalSince1970: try reader.double())
        let topicCount = Int(try reader.integer(UInt32.self))
        try reader.require(topicCount * 16)
        var topics: [MapTopic] = []
        for _ in 0..<topicCount {
            let label = try reader.string()
            let termCount = Int(try reader.integer(UInt32.self))
            try reader.require(termCount * 4)
            var terms: [String] = []
            for _ in 0..<termCount { terms.append(try reader.string()) }
            let center = MapPoint(x: try reader.float(), y: try reader.float())
            let papers = Int(try reader.integer(UInt64.self))
            topics.append(MapTopic(label: label, terms: terms, center: center, papers: papers))
        }
        try reader.require(n * 4)
        var lengths = [Int](repeating: 0, count: n)
        for i in 0..<n { lengths[i] = Int(try reader.integer(UInt32.self)) }
        var ids: [PaperID] = []
        ids.reserveCapacity(n)
        for i in 0..<n {
            let text = try reader.utf8(lengths[i])
            guard let id = PaperID(text) else { throw damaged("paper \(i) has no valid id") }
            ids.append(id)
        }
        try reader.require(n * 14)
        var points = [MapPoint](repeating: MapPoint(x: 0, y: 0), count: n)
        for i in 0..<n {
            let point = MapPoint(x: try reader.float(), y: try reader.float())
            guard (0...1).contains(point.x), (0...1).contains(point.y) else { throw damaged("paper \(i) lies off the map") }
            points[i] = point
        }
        var topicOfPaper = [UInt16](repeating: 0, count: n)
        for i in 0..<n {
            let topic = try reader.integer(UInt16.self)
            guard Int(topic) < topicCount else { throw damaged("paper \(i) is in topic \(topic) of \(topicCount)") }
            topicOfPaper[i] = topic
        }
        var publishedDay = [Int32](repeating: 0, count: n)
        for i in 0..<n { publishedDay[i] = try reader.integer(Int32.self) }
        guard reader.offset == body.count else { throw damaged("\(body.count - reader.offset) bytes left over") }
        return PaperMap(ids: ids, points: points, topicOfPaper: topicOfPaper, publishedDay: publishedDay,
                        topics: topics, model: model, computedAt: computedAt)
    }

    static func encodeBody(_ map: PaperMap) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(64 + map.count * 30)
        w.string(map.model)
        w.double(map.computedAt.timeIntervalSince1970)
        w.integer(UInt32(map.topics.count))
        for topic in map.topics {
            w.string(topic.label)
            w.integer(UInt32(topic.terms.count))
            for term in topic.terms { w.string(term) }
            w.float(topic.center.x)
            w.float(topic.center.y)
            w.integer(UInt64(topic.papers))
        }
        let utf8 = map.ids.map { Array($0.rawValue.utf8) }
        for id in utf8 { w.integer(UInt32(id.count)) }
        for id in utf8 { w.bytes.append(contentsOf: id) }
        for point in map.points {
            w.float(point.x)
            w.float(point.y)
        }
        for topic in map.topicOfPaper { w.integer(topic) }
        for day in map.publishedDay { w.integer(day) }
        return w.bytes
    }

    private func writeAtomically(_ header: [UInt8], _ body: [UInt8]) throws {
        do {
            try header.withUnsafeBytes { header in
                try body.withUnsafeBytes { body in try AtomicFile.write([header, body], to: url.path) }
            }
        } catch let failure as AtomicFile.Failure {
            throw PaperboyError(.unreadableFile, "cannot write the map \(url.path): \(failure)")
        }
    }
}
