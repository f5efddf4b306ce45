import PaperboyCore
import Foundation
import Testing
@testable import PaperMap

/// PCA finds the directions data was planted along, both by Jacobi (small dimensions) and by
/// subspace iteration (the model's 384).
@Suite struct ProjectionTests {
    /// Points in a random 3-dimensional subspace with variances 9, 4, 1, plus faint noise in
    /// every direction: the first three components must span that subspace, in that order.
    func plantedSubspace(dimension d: Int) -> (vectors: [Float], basis: [[Float]], count: Int) {
        var random = SeededGenerator(seed: 11)
        // Orthonormal basis by Gram–Schmidt of random vectors.
        var basis: [[Float]] = []
        while basis.count < 3 {
            var v = (0..<d).map { _ in PlantedData.gaussian(&random) }
            for b in basis {
                let dot = zip(v, b).reduce(0) { $0 + $1.0 * $1.1 }
                v = zip(v, b).map { $0 - dot * $1 }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            basis.append(v.map { $0 / norm })
        }
        let n = 3_000
        let scales: [Float] = [3, 2, 1]
        var vectors = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            for (b, scale) in zip(basis, scales) {
                let t = PlantedData.gaussian(&random) * scale
                for c in 0..<d { vectors[i * d + c] += t * b[c] }
            }
            for c in 0..<d { vectors[i * d + c] += 0.05 * PlantedData.gaussian(&random) + 0.3 }
        }
        return (vectors, basis, n)
    }

    @Test(arguments: [24, 384]) func pcaRecoversAPlantedSubspace(dimension: Int) {
        let (vectors, basis, n) = plantedSubspace(dimension: dimension)
        let pca = PCAProjection.fit(vectors, count: n, dimension: dimension, components: 5)
        #expect(pca.outputDimension == 5)
        // Component r is ±basis[r]: |cos| close to 1.
        for r in 0..<3 {
            let component = Array(pca.components[(r * dimension)..<((r + 1) * dimension)])
            let cosine = abs(zip(component, basis[r]).reduce(0) { $0 + $1.0 * $1.1 })
            #expect(cosine > 0.999, "component \(r) against planted direction \(r): \(cosine)")
        }
        #expect(abs(pca.variances[0] - 9) < 0.8 && abs(pca.variances[1] - 4) < 0.4 && abs(pca.variances[2] - 1) < 0.15,
                "\(pca.variances)")
        #expect(pca.variances[3] < 0.01, "beyond the subspace only the noise is left: \(pca.variances)")
        // Projection subtracts the mean: the projected points average to zero.
        let projected = vectors.withUnsafeBufferPointer { pca.project($0, count: 500) }
        #expect(projected.count == 500 * 5)
        let meanFirst = (0..<n).reduce(Float(0)) { $0 + pca.project(Array(vectors[($1 * dimension)..<(($1 + 1) * dimension)]))[0] } / Float(n)
        #expect(abs(meanFirst) < 0.01)
    }

    @Test func neighbourSearchMatchesBruteForce() {
        let data = PlantedData.clusters(4, perCluster: 150, dimension: 20)
        let n = data.count, d = data.dimension
        let found = data.vectors.withUnsafeBufferPointer {
            NearestNeighbours.search(queries: $0.baseAddress!, queryCount: n, base: $0.baseAddress!, baseCount: n,
                                     dimension: d, k: 5, excludingSelf: true)
        }
        for i in stride(from: 0, to: n, by: 37) {
            let expected = (0..<n).filter { $0 != i }.map { j -> (Int, Float) in
                (j, (0..<d).reduce(Float(0)) { let t = data.vectors[i * d + $1] - data.vectors[j * d + $1]; return $0 + t * t })
            }.sorted { $0.1 < $1.1 }.prefix(5)
            #expect(found.indices[(i * 5)..<(i * 5 + 5)].map(Int.init) == expected.map(\.0))
            for (got, want) in zip(found.distances[(i * 5)..<(i * 5 + 5)], expected.map(\.1)) {
                #expect(abs(got - want.squareRoot()) < 1e-3)
            }
        }
    }
}
