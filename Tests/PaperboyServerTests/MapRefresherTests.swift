import Foundation
import PaperboyCore
import PaperboyServer
import PaperboyTesting
import PaperMap
import Synchronization
import Testing

/// The server follows `map.bin`: a map saved while it runs replaces the one shown; a damaged
/// file leaves the shown one in place.
struct MapRefresherTests {
    private static func map(papers: Int, label: String, at time: TimeInterval) -> PaperMap {
        PaperMap(ids: (0..<papers).map { PaperID(String(format: "2401.%05d", $0 + 1))! },
                 points: (0..<papers).map { MapPoint(x: Float($0) / Float(papers), y: 0.5) },
                 topicOfPaper: Array(repeating: 0, count: papers), publishedDay: Array(repeating: 19_800, count: papers),
                 topics: [MapTopic(label: label, terms: [label], center: MapPoint(x: 0.5, y: 0.5), papers: papers)],
                 model: "all-MiniLM-L6-v2", computedAt: Date(timeIntervalSince1970: time))
    }

    private static func waitFor(_ what: String, _ condition: () -> Bool) async throws {
        // Generous: under the whole suite the two-thread pool can be busy for long stretches.
        let deadline = ContinuousClock.now + .seconds(120)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("timed out waiting for \(what)"); return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aSavedMapReplacesTheShownOneAndADamagedOneDoesNot() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = MapFile(dataDirectory: dir.url)
        let fieldMap = FieldMap()
        let loads = Mutex(0)
        let refresher = MapRefresher(file: file.url, fieldMap: fieldMap, interval: .milliseconds(50)) {
            loads.withLock { $0 += 1 }
            return try file.load()
        }
        let running = Task { try await refresher.run() }
        defer { running.cancel() }

        try await Task.sleep(for: .milliseconds(200))
        #expect(fieldMap.current == nil, "no file, no map")
        let first = Self.map(papers: 10, label: "first", at: 1_000)
        try file.save(first)
        try await Self.waitFor("the first map") { fieldMap.current == first }

        let second = Self.map(papers: 12, label: "second", at: 2_000)
        try file.save(second)
        try await Self.waitFor("the second map") { fieldMap.current == second }

        // A torn copy (not how `paperboy map` writes, but what a bad disk or hand gives).
        let bytes = try Data(contentsOf: file.url)
        try bytes.prefix(bytes.count / 2).write(to: file.url)
        try await Self.waitFor("a try at loading the damaged file") { loads.withLock { $0 } == 3 }
        #expect(fieldMap.current == second, "the damaged file is refused and the shown map stays")
    }
}
