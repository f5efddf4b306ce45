import Foundation
import PaperboyCore
import PaperMap

/// `GET /api/v1/map`: what the map page's script needs besides tiles.
struct MapResponse: Encodable {
    struct Topic: Encodable {
        var label: String
        var terms: [String]
        var x: Float
        var y: Float
        var papers: Int
        var color: String
    }

    var papers: Int
    var version: String
    /// ISO 8601, UTC.
    var computedAt: String
    var tileSize = MapPainter.tileSize
    var deepestZoom = MapRegion.deepestZoom
    var topics: [Topic]

    init(_ drawn: DrawnMap) {
        papers = drawn.map.count
        version = drawn.version
        computedAt = drawn.map.computedAt.formatted(.iso8601)
        topics = drawn.map.topics.enumerated().map { index, topic in
            Topic(label: topic.label, terms: topic.terms, x: topic.center.x, y: topic.center.y, papers: topic.papers,
                  color: TopicPalette.css(index))
        }
    }
}

/// A paper on the map.
struct MapPaper: Encodable {
    var id: String
    var title: String?
    var x: Float
    var y: Float
    var topic: Int

    init(_ map: PaperMap, _ index: Int, title: String?) {
        id = map.ids[index].rawValue
        self.title = title
        x = map.points[index].x
        y = map.points[index].y
        topic = Int(map.topicOfPaper[index])
    }
}

/// `GET /api/v1/map/near`: `{"paper": null}` when nothing is near, said outright.
struct NearResponse: Encodable {
    var paper: MapPaper?

    private enum CodingKeys: String, CodingKey { case paper }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(paper, forKey: .paper)
    }
}

/// `GET /api/v1/map/search`.
struct MapSearchResponse: Encodable {
    var query: String
    var hits: [MapPaper]
    /// Hits the map does not hold (papers added or embedded after it was computed).
    var offMap: Int
}
