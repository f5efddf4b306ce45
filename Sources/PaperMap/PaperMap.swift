import Foundation
import PaperboyCore

/// The field as a picture: every paper with an embedding placed on a plane so that papers
/// about the same thing sit together, grouped into topics with readable labels.
///
/// `paperboy map` computes it from the stored vectors and saves it beside the indexes
/// (`MapFile`); the server draws it (tiles, the PNG export) and counts topic trends from it.
/// The arrays are parallel: paper `i` is `ids[i]`, at `points[i]`, in topic
/// `topicOfPaper[i]`, published on day `publishedDay[i]`.
public struct PaperMap: Sendable, Equatable {
    /// The papers on the map.
    public var ids: [PaperID]
    /// Each paper's place, both coordinates in 0...1, x to the right and y downwards (as on a
    /// screen), so drawing needs no flip.
    public var points: [MapPoint]
    /// Each paper's topic, an index into `topics`.
    public var topicOfPaper: [UInt16]
    /// Each paper's publication day, in days since 1970-01-01 UTC (`Int32.min`: unknown), so
    /// trends are counted from the map alone, without reading a million papers again.
    public var publishedDay: [Int32]
    /// The topics, largest first.
    public var topics: [MapTopic]
    /// The embedding model whose vectors were laid out.
    public var model: String
    /// When the map was computed.
    public var computedAt: Date

    public init(ids: [PaperID], points: [MapPoint], topicOfPaper: [UInt16], publishedDay: [Int32],
                topics: [MapTopic], model: String, computedAt: Date) {
        precondition(ids.count == points.count && ids.count == topicOfPaper.count && ids.count == publishedDay.count,
                     "a map's arrays are parallel")
        self.ids = ids
        self.points = points
        self.topicOfPaper = topicOfPaper
        self.publishedDay = publishedDay
        self.topics = topics
        self.model = model
        self.computedAt = computedAt
    }

    /// How many papers the map holds.
    public var count: Int { ids.count }
}

/// A place on the map, both coordinates in 0...1.
public struct MapPoint: Sendable, Hashable, Codable {
    public var x: Float
    public var y: Float

    public init(x: Float, y: Float) {
        self.x = x
        self.y = y
    }
}

/// A group of papers close together on the map, named by the terms that set it apart from
/// the rest of the field (class-based TF-IDF over titles and abstracts).
public struct MapTopic: Sendable, Hashable, Codable {
    /// The label shown on the map: the first few `terms`, joined.
    public var label: String
    /// The topic's most distinctive terms, most distinctive first.
    public var terms: [String]
    /// Where the label goes: the middle of the topic's papers.
    public var center: MapPoint
    /// How many papers the topic holds.
    public var papers: Int

    public init(label: String, terms: [String], center: MapPoint, papers: Int) {
        self.label = label
        self.terms = terms
        self.center = center
        self.papers = papers
    }
}
