import Foundation

/// Places papers on a finished map without laying it out again: a paper goes to the weighted
/// mean of the places of its nearest landmarks, found in PCA space and weighted as UMAP weighs
/// a point's neighbours (`FuzzyGraph.scale`), the way UMAP's own `transform` starts.
///
/// `paperboy map` places every paper outside the landmark sample this way, and a paper added
/// later can be placed the same way from its vector alone. A weighted mean stays inside the
/// landmarks' hull, so placed papers never stretch the map's frame.
public struct MapPlacement: Sendable, Equatable {
    /// The projection the landmarks were found in.
    public let projection: PCAProjection
    /// The landmarks in PCA space, `projection.outputDimension` floats each.
    public let landmarks: [Float]
    /// The landmarks' places on the map.
    public let landmarkPoints: [MapPoint]
    /// How many landmarks a paper is placed among.
    public let neighbours: Int

    public init(projection: PCAProjection, landmarks: [Float], landmarkPoints: [MapPoint], neighbours: Int) {
        precondition(landmarks.count == landmarkPoints.count * projection.outputDimension)
        self.projection = projection
        self.landmarks = landmarks
        self.landmarkPoints = landmarkPoints
        self.neighbours = neighbours
    }

    /// The places of `count` model vectors (row-major, `projection.inputDimension` each).
    public func place(vectors: [Float], count: Int) -> [MapPoint] {
        let projected = vectors.withUnsafeBufferPointer { projection.project($0, count: count) }
        return place(projected: projected, count: count)
    }

    /// The places of `count` vectors already in PCA space.
    public func place(projected: [Float], count: Int) -> [MapPoint] {
        let p = projection.outputDimension
        let k = min(neighbours, landmarkPoints.count)
        guard count > 0, k > 0 else { return [MapPoint](repeating: MapPoint(x: 0.5, y: 0.5), count: count) }
        var points = [MapPoint](repeating: MapPoint(x: 0, y: 0), count: count)
        // In slices, so a million papers never need a million neighbour lists at once.
        let slice = 65_536
        for start in stride(from: 0, to: count, by: slice) {
            let m = min(slice, count - start)
            let found = projected.withUnsafeBufferPointer { q in
                landmarks.withUnsafeBufferPointer { l in
                    NearestNeighbours.search(queries: q.baseAddress! + start * p, queryCount: m,
                                             base: l.baseAddress!, baseCount: landmarkPoints.count,
                                             dimension: p, k: k, excludingSelf: false)
                }
            }
            found.distances.withUnsafeBufferPointer { distances in
                for r in 0..<m {
                    let row = UnsafeBufferPointer(rebasing: distances[(r * k)..<((r + 1) * k)])
                    let (rho, sigma) = FuzzyGraph.scale(of: row, target: log2(Double(k)))
                    var x: Double = 0, y: Double = 0, total: Double = 0
                    for j in 0..<k {
                        let landmark = Int(found.indices[r * k + j])
                        guard landmark >= 0 else { continue }
                        let w = Double(FuzzyGraph.membership(row[j], rho: rho, sigma: sigma))
                        x += w * Double(landmarkPoints[landmark].x)
                        y += w * Double(landmarkPoints[landmark].y)
                        total += w
                    }
                    if total > 0 {
                        points[start + r] = MapPoint(x: Float(x / total), y: Float(y / total))
                    } else {
                        points[start + r] = landmarkPoints[Int(max(0, found.indices[r * k]))]
                    }
                }
            }
        }
        return points
    }
}
