import PaperboyCore
import Foundation
import Testing
@testable import PaperMap

/// The UMAP-style layout keeps planted clusters apart, keeps neighbours better than PCA
/// alone, is the same for the same seed, and places new papers beside their neighbours.
@Suite struct LayoutTests {
    /// Sixteen clusters in 64 dimensions: more than two PCA components can keep apart.
    static let data = PlantedData.clusters(16, perCluster: 60, dimension: 64, separation: 1, noise: 0.5)

    static func parameters(landmarks: Int) -> MapParameters {
        var parameters = MapParameters()
        parameters.landmarks = landmarks
        parameters.components = 20
        parameters.seed = 5
        return parameters
    }

    static let layout = MapLayout.compute(vectors: data.vectors, count: data.count, dimension: data.dimension,
                                          parameters: parameters(landmarks: 700))

    /// Cluster centres on the map and each cluster's mean distance to its centre.
    static func centres(_ points: [MapPoint], labels: [Int]) -> (centres: [MapPoint], spread: [Float]) {
        let clusters = (labels.max() ?? 0) + 1
        var sums = [(Float, Float, Float)](repeating: (0, 0, 0), count: clusters)
        for (p, c) in zip(points, labels) { sums[c].0 += p.x; sums[c].1 += p.y; sums[c].2 += 1 }
        let centres = sums.map { MapPoint(x: $0.0 / $0.2, y: $0.1 / $0.2) }
        var spread = [Float](repeating: 0, count: clusters)
        for (p, c) in zip(points, labels) { spread[c] += MapClustering.squaredDistance(p, centres[c]).squareRoot() / sums[c].2 }
        return (centres, spread)
    }

    @Test func wellSeparatedClustersStayApart() {
        let points = Self.layout.points
        #expect(points.allSatisfy { (0...1).contains($0.x) && (0...1).contains($0.y) })
        let (centres, spread) = Self.centres(points, labels: Self.data.labels)
        // Every paper is nearer its own cluster's centre than any other's.
        let misplaced = zip(points, Self.data.labels).filter { MapClustering.nearestCentre($0.0, centres) != $0.1 }.count
        #expect(misplaced == 0, "\(misplaced) papers sit nearer another cluster")
        // And the clusters are compact against the gaps between them.
        var closest = Float.infinity
        for a in 0..<centres.count { for b in 0..<a { closest = min(closest, MapClustering.squaredDistance(centres[a], centres[b]).squareRoot()) } }
        #expect(closest > 2 * (spread.max() ?? 0), "closest centres \(closest), widest spread \(spread.max() ?? 0)")
    }

    @Test func theLayoutKeepsNeighboursBetterThanPCAAlone() {
        let k = 10
        let map = MapQuality.measure(vectors: Self.data.vectors, dimension: Self.data.dimension,
                                     points: Self.layout.points, k: k, sample: 600)
        let pca = MapQuality.measure(vectors: Self.data.vectors, dimension: Self.data.dimension,
                                     points: Self.layout.pcaPoints, k: k, sample: 600)
        #expect(map.trustworthiness > pca.trustworthiness + 0.02, "map \(map), PCA \(pca)")
        #expect(map.neighbourRecall > pca.neighbourRecall, "map \(map), PCA \(pca)")
    }

    @Test func theSameSeedGivesTheSameMap() {
        let small = PlantedData.clusters(3, perCluster: 60, dimension: 16, seed: 3)
        let first = MapLayout.compute(vectors: small.vectors, count: small.count, dimension: small.dimension,
                                      parameters: Self.parameters(landmarks: 150))
        let again = MapLayout.compute(vectors: small.vectors, count: small.count, dimension: small.dimension,
                                      parameters: Self.parameters(landmarks: 150))
        #expect(first.points == again.points)
        var other = Self.parameters(landmarks: 150)
        other.seed = 6
        let different = MapLayout.compute(vectors: small.vectors, count: small.count, dimension: small.dimension,
                                          parameters: other)
        #expect(first.points != different.points)
    }

    @Test func placementPutsANewPaperBesideItsNeighbours() {
        let data = Self.data, d = data.dimension
        let placement = Self.layout.placement
        let (centres, spread) = Self.centres(Self.layout.points, labels: data.labels)
        var random = SeededGenerator(seed: 99)
        for paper in stride(from: 3, to: data.count, by: 97) {
            // A near copy of a known paper lands next to it and inside its cluster.
            var vector = Array(data.vectors[(paper * d)..<((paper + 1) * d)])
            vector = vector.map { $0 + 0.002 * PlantedData.gaussian(&random) }
            let placed = placement.place(vectors: vector, count: 1)[0]
            let own = Self.layout.points[paper]
            #expect(MapClustering.squaredDistance(placed, own).squareRoot() < 2 * spread[data.labels[paper]],
                    "paper \(paper) placed at \(placed), it sits at \(own)")
            #expect(MapClustering.nearestCentre(placed, centres) == data.labels[paper])
        }
    }
}
