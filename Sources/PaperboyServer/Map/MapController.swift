import Foundation
import Hummingbird
import PaperboyCore
import PaperMap
import Synchronization

/// The map of the field in the web app: the page (`/map`), its tiles, and the JSON its
/// script reads: the topics, the paper under the pointer, and where a search's hits lie.
///
/// The browser never holds the papers: it shows 256-pixel PNG tiles drawn here at the zoom it
/// is at, so a million papers pan and zoom as smoothly as a thousand. Tile addresses carry
/// the map's version, so a tile is cached for good and a new map brings new tiles.
struct MapController {
    let catalog: PaperCatalog
    let views: Views
    private let tiles = TileCache(capacity: 4_096)

    init(catalog: PaperCatalog, views: Views) {
        self.catalog = catalog
        self.views = views
    }

    /// Most hits a search shows on the map.
    static let maxHits = 100

    func register(on router: Router<AppRequestContext>) {
        router.get("/map") { _, context in try page(for: context.visitor) }
        router.get("/map/tiles/{version}/{zoom}/{x}/{y}") { _, context in try tile(context.parameters) }
        let api = router.group("/api/v1")
        api.get("map") { _, _ in try APIJSON.response(MapResponse(drawn())) }
        api.get("map/near") { request, _ in try await near(Parameters(request)) }
        api.get("map/search") { request, _ in try await search(request) }
        // The API only reads: every other method is a 405 naming GET.
        for path in ["map", "map/near", "map/search"] {
            for method in APIController.refusedMethods {
                api.on(RouterPath(path), method: method) { _, _ in APIController.methodNotAllowed() }
            }
        }
    }

    private func drawn() throws -> DrawnMap {
        guard let drawn = catalog.fieldMap.drawn else {
            throw HTTPError(.notFound, message: "There is no map yet: `paperboy map` computes it from the papers' embeddings.")
        }
        return drawn
    }

    private func page(for visitor: Visitor) throws -> Response {
        var context: [String: Any] = ["navMap": true]
        if let drawn = catalog.fieldMap.drawn {
            context["map"] = [
                "papers": drawn.map.count.formatted(),
                "computed": DayWindow.isoDay(drawn.map.computedAt),
                "topics": drawn.map.topics.enumerated().map { index, topic -> [String: Any] in
                    ["label": topic.label, "papers": topic.papers.formatted(), "color": TopicPalette.css(index),
                     "x": topic.center.x, "y": topic.center.y]
                },
            ]
        }
        let html = try views.render("map", context, for: visitor)
        return Response(status: .ok, headers: PageController.htmlHeaders, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    private func tile(_ parameters: Hummingbird.Parameters) throws -> Response {
        let drawn = try drawn()
        guard let zoom = Int(parameters.get("zoom") ?? ""), let x = Int(parameters.get("x") ?? ""),
              let y = Int(parameters.get("y") ?? ""), parameters.get("version") == drawn.version else {
            throw HTTPError(.notFound, message: "No such tile: the map may have been computed again since.")
        }
        let key = "\(drawn.version)/\(zoom)/\(x)/\(y)"
        let png: Data
        if let kept = tiles[key] {
            png = kept
        } else {
            guard let drawnTile = try drawn.painter.tile(zoom: zoom, x: x, y: y) else {
                throw HTTPError(.notFound, message: "No such tile: zoom runs 0–\(MapRegion.deepestZoom) and x, y 0 to 2^zoom − 1.")
            }
            tiles[key] = drawnTile
            png = drawnTile
        }
        return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "public, max-age=31536000, immutable"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
    }

    /// The paper nearest `x`, `y` within `r` (map units), for the pointer's tooltip.
    private func near(_ parameters: Parameters) async throws -> Response {
        let drawn = try drawn()
        guard let x = try parameters.number("x", in: -1...2), let y = try parameters.number("y", in: -1...2) else {
            throw ParameterError("x", "and y are needed: the place on the map, from 0 to 1")
        }
        let radius = try parameters.number("r", in: 0...0.1) ?? 0.01
        let found = drawn.painter.grid.nearest(to: MapPoint(x: Float(x), y: Float(y)), within: Float(radius),
                                               points: drawn.map.points)
        guard let found else { return try APIJSON.response(NearResponse(paper: nil)) }
        let title = try await catalog.paper(drawn.map.ids[found])?.paper.title
        return try APIJSON.response(NearResponse(paper: MapPaper(drawn.map, found, title: title)))
    }

    /// A search's best hits with their places (hits the map does not hold are counted).
    private func search(_ request: Request) async throws -> Response {
        let drawn = try drawn()
        var search = try SearchRequest(Parameters(request), defaultPageSize: Self.maxHits)
        search.pageSize = min(search.pageSize, Self.maxHits)
        let results = try await catalog.search(search)
        var hits: [MapPaper] = []
        for hit in results.hits {
            guard let index = drawn.locator.index(of: hit.paper.id) else { continue }
            hits.append(MapPaper(drawn.map, index, title: hit.paper.title))
        }
        return try APIJSON.response(MapSearchResponse(query: search.query, hits: hits, offMap: results.hits.count - hits.count))
    }
}

/// Drawn tiles by address, dropped all at once when full: tiles are cheap to draw again
/// (milliseconds) and the browser keeps its own.
final class TileCache: Sendable {
    private let capacity: Int
    private let tiles = Mutex<[String: Data]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(key: String) -> Data? {
        get { tiles.withLock { $0[key] } }
        set {
            tiles.withLock { tiles in
                if tiles.count >= capacity { tiles.removeAll(keepingCapacity: true) }
                tiles[key] = newValue
            }
        }
    }
}
