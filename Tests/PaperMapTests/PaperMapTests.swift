import PaperboyCore
import Testing
@testable import PaperMap

@Suite struct PaperMapTests {
    @Test func aMapCountsItsPapers() throws {
        let id = try #require(PaperID("2401.01234"))
        let map = PaperMap(ids: [id], points: [MapPoint(x: 0.5, y: 0.5)], topicOfPaper: [0], publishedDay: [19_723],
                           topics: [MapTopic(label: "a", terms: ["a"], center: MapPoint(x: 0.5, y: 0.5), papers: 1)],
                           model: "m", computedAt: .now)
        #expect(map.count == 1)
    }
}
