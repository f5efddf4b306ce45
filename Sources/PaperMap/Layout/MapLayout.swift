import PaperboyCore
import Foundation

/// The settings of a map computation.
public struct MapParameters: Sendable {
    /// At most this many papers (a seeded random sample) are laid out by UMAP; every other
    /// paper is placed among them. Placement compares each paper with every landmark, so this
    /// sets the cost at a million papers; 20,000 keep it to minutes on two cores
    /// (bench/results/map.md) at little loss of quality.
    public var landmarks = 20_000
    /// Neighbours per point in the fuzzy graph and for placement (UMAP's `n_neighbors`).
    public var neighbours = 15
    /// PCA components the neighbours are found in.
    public var components = 50
    /// Optimisation epochs; nil: UMAP's default (500 up to 10,000 landmarks, 200 above).
    public var epochs: Int?
    /// Topics; nil: √(papers / 20), within 8…60.
    public var topics: Int?
    /// The seed for the sample, the layout's negative samples and the clustering.
    public var seed: UInt64 = 42

    public init() {}
}

/// Where the map's time went, for logs and benchmarks.
public struct MapTimings: Sendable, Equatable {
    public var pca: Duration = .zero
    public var neighbours: Duration = .zero
    public var layout: Duration = .zero
    public var placement: Duration = .zero
    public var topics: Duration = .zero

    public init() {}
}

/// The stages of a map computation, as progress reports name them.
public enum MapStage: String, Sendable {
    case pca, neighbours = "knn", layout, placement, topics
}

/// The places of all papers and what made them.
public struct MapLayout: Sendable {
    /// Each paper's place, in 0...1, y downwards.
    public var points: [MapPoint]
    /// Each paper's place by its first two PCA components alone, framed the same way: the
    /// baseline the layout's quality is compared with.
    public var pcaPoints: [MapPoint]
    /// How to place papers added later.
    public var placement: MapPlacement
    /// Which papers were laid out as landmarks (ascending).
    public var landmarkIndices: [Int]
    public var timings = MapTimings()

    /// Lays out `count` unit vectors of `dimension` floats (row-major): PCA to
    /// `parameters.components` dimensions, UMAP on a landmark sample (exact k-NN graph, fuzzy
    /// weights, SGD started from the first two components), then every other paper placed
    /// among the landmarks, and the whole framed into 0...1.
    public static func compute(vectors: [Float], count: Int, dimension: Int, parameters: MapParameters,
                               progress: (MapStage, Duration) -> Void = { _, _ in }) -> MapLayout {
        precondition(count > 0 && vectors.count == count * dimension)
        let clock = ContinuousClock()
        var timings = MapTimings()

        var started = clock.now
        var random = SeededGenerator(seed: parameters.seed)
        let landmarkIndices = random.sample(parameters.landmarks, of: count)
        let landmarkCount = landmarkIndices.count
        // PCA is fitted on all papers (cheap: one pass of products), so the landmark sample
        // never bends the axes.
        let projection = PCAProjection.fit(vectors, count: count, dimension: dimension,
                                           components: min(parameters.components, dimension), seed: parameters.seed)
        let projected = vectors.withUnsafeBufferPointer { projection.project($0, count: count) }
        let p = projection.outputDimension
        var landmarkProjected = [Float](repeating: 0, count: landmarkCount * p)
        for (row, index) in landmarkIndices.enumerated() {
            for c in 0..<p { landmarkProjected[row * p + c] = projected[index * p + c] }
        }
        timings.pca = clock.now - started
        progress(.pca, timings.pca)

        started = clock.now
        let k = max(1, min(parameters.neighbours, landmarkCount - 1))
        let neighbours = landmarkProjected.withUnsafeBufferPointer { l in
            NearestNeighbours.search(queries: l.baseAddress!, queryCount: landmarkCount, base: l.baseAddress!,
                                     baseCount: landmarkCount, dimension: p, k: k, excludingSelf: true)
        }
        timings.neighbours = clock.now - started
        progress(.neighbours, timings.neighbours)

        started = clock.now
        var positions = initialPositions(landmarkProjected, count: landmarkCount, width: p, seed: parameters.seed)
        if landmarkCount > 2 {
            let graph = FuzzyGraph(neighbours: neighbours, pointCount: landmarkCount)
            let epochs = parameters.epochs ?? (landmarkCount <= 10_000 ? 500 : 200)
            LayoutOptimizer(epochs: epochs).optimize(&positions, pointCount: landmarkCount, graph: graph,
                                                     seed: parameters.seed &+ 1)
        }
        let frame = Frame(fitting: positions)
        let landmarkPoints = (0..<landmarkCount).map { frame.point(positions[2 * $0], positions[2 * $0 + 1]) }
        timings.layout = clock.now - started
        progress(.layout, timings.layout)

        started = clock.now
        let placement = MapPlacement(projection: projection, landmarks: landmarkProjected,
                                     landmarkPoints: landmarkPoints, neighbours: parameters.neighbours)
        var points = [MapPoint](repeating: MapPoint(x: 0, y: 0), count: count)
        var isLandmark = [Bool](repeating: false, count: count)
        for (row, index) in landmarkIndices.enumerated() {
            points[index] = landmarkPoints[row]
            isLandmark[index] = true
        }
        let others = (0..<count).filter { !isLandmark[$0] }
        if !others.isEmpty {
            var otherProjected = [Float](repeating: 0, count: others.count * p)
            for (row, index) in others.enumerated() {
                for c in 0..<p { otherProjected[row * p + c] = projected[index * p + c] }
            }
            let placed = placement.place(projected: otherProjected, count: others.count)
            for (row, index) in others.enumerated() { points[index] = placed[row] }
        }
        timings.placement = clock.now - started
        progress(.placement, timings.placement)

        var pcaPositions = [Float](repeating: 0, count: 2 * count)
        for i in 0..<count {
            pcaPositions[2 * i] = projected[i * p]
            pcaPositions[2 * i + 1] = p > 1 ? projected[i * p + 1] : 0
        }
        let pcaFrame = Frame(fitting: pcaPositions)
        let pcaPoints = (0..<count).map { pcaFrame.point(pcaPositions[2 * $0], pcaPositions[2 * $0 + 1]) }
        return MapLayout(points: points, pcaPoints: pcaPoints, placement: placement,
                         landmarkIndices: landmarkIndices, timings: timings)
    }

    /// The first two PCA components, scaled so the larger spans ±10 as UMAP scales its
    /// starting layout, with a little seeded jitter so coinciding papers can move apart.
    static func initialPositions(_ projected: [Float], count: Int, width p: Int, seed: UInt64) -> [Float] {
        var positions = [Float](repeating: 0, count: 2 * count)
        var largest: Float = 0
        for i in 0..<count {
            positions[2 * i] = projected[i * p]
            positions[2 * i + 1] = p > 1 ? projected[i * p + 1] : 0
            largest = max(largest, abs(positions[2 * i]), abs(positions[2 * i + 1]))
        }
        let scale = largest > 0 ? 10 / largest : 1
        var random = SeededGenerator(seed: seed &+ 2)
        for i in 0..<(2 * count) {
            positions[i] = positions[i] * scale + Float(random.unit() - 0.5) * 1e-4
        }
        return positions
    }

    /// The affine map from layout coordinates into 0...1 with a small margin, the same scale
    /// on both axes so distances keep their meaning; layout y grows downwards on screen.
    struct Frame {
        var minX: Float, minY: Float, scale: Float, offsetX: Float, offsetY: Float

        init(fitting positions: [Float]) {
            var lowX = Float.infinity, lowY = Float.infinity, highX = -Float.infinity, highY = -Float.infinity
            for i in stride(from: 0, to: positions.count, by: 2) {
                lowX = min(lowX, positions[i]); highX = max(highX, positions[i])
                lowY = min(lowY, positions[i + 1]); highY = max(highY, positions[i + 1])
            }
            if !lowX.isFinite { lowX = 0; highX = 0; lowY = 0; highY = 0 }
            let span = max(highX - lowX, highY - lowY)
            let margin: Float = 0.02
            scale = span > 0 ? (1 - 2 * margin) / span : 0
            minX = lowX
            minY = lowY
            // Centre the shorter axis.
            offsetX = margin + ((1 - 2 * margin) - (highX - lowX) * scale) / 2
            offsetY = margin + ((1 - 2 * margin) - (highY - lowY) * scale) / 2
            if span == 0 { offsetX = 0.5; offsetY = 0.5 }
        }

        func point(_ x: Float, _ y: Float) -> MapPoint {
            MapPoint(x: min(1, max(0, (x - minX) * scale + offsetX)), y: min(1, max(0, (y - minY) * scale + offsetY)))
        }
    }
}
