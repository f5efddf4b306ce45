import PaperboyCore
import Foundation
import VectorMath

/// A linear projection onto the directions along which the vectors vary most.
///
/// The map works in this 50-dimensional space rather than the model's 384: neighbour search
/// costs an eighth as much, and the dropped directions are mostly noise, so neighbours found
/// here are the ones that matter. Its first two components also start the layout, which gives
/// UMAP's optimisation the global arrangement that random starts lose.
public struct PCAProjection: Sendable, Equatable {
    /// The model's dimension.
    public let inputDimension: Int
    /// How many components the projection keeps.
    public let outputDimension: Int
    /// The mean vector subtracted before projecting.
    public let mean: [Float]
    /// The components, one row of `inputDimension` floats each, largest variance first.
    public let components: [Float]
    /// The variance along each component (the covariance's eigenvalues).
    public let variances: [Float]

    public init(inputDimension: Int, outputDimension: Int, mean: [Float], components: [Float], variances: [Float]) {
        precondition(mean.count == inputDimension && components.count == inputDimension * outputDimension
                     && variances.count == outputDimension)
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.mean = mean
        self.components = components
        self.variances = variances
    }

    /// Fits the projection to `count` vectors of `dimension` floats (row-major).
    ///
    /// The covariance is accumulated in blocks of rows by matrix products (per-core partial
    /// sums in doubles, so a million vectors lose no precision); its leading eigenvectors come
    /// from subspace iteration with Rayleigh–Ritz steps, which needs only products with the
    /// covariance and a small Jacobi decomposition.
    public static func fit(_ vectors: [Float], count: Int, dimension: Int, components wanted: Int,
                           seed: UInt64 = 1) -> PCAProjection {
        precondition(count > 0 && vectors.count == count * dimension)
        let p = min(wanted, dimension)
        let mean = columnMeans(vectors, count: count, dimension: dimension)
        let covariance = covarianceMatrix(vectors, count: count, dimension: dimension, mean: mean)
        let (values, vectorsOut) = leadingEigenvectors(covariance, size: dimension, count: p, seed: seed)
        return PCAProjection(inputDimension: dimension, outputDimension: p, mean: mean.map(Float.init),
                             components: vectorsOut.map(Float.init), variances: values.map { Float(max(0, $0)) })
    }

    /// Projects `count` vectors (row-major) to `count × outputDimension` floats.
    public func project(_ vectors: UnsafeBufferPointer<Float>, count: Int) -> [Float] {
        precondition(vectors.count >= count * inputDimension)
        let d = inputDimension, p = outputDimension
        // (x − μ)·Wᵀ = x·Wᵀ − μ·Wᵀ: the second term is a bias per output column.
        var bias = [Float](repeating: 0, count: p)
        for c in 0..<p {
            var s: Float = 0
            for i in 0..<d { s += mean[i] * components[c * d + i] }
            bias[c] = -s
        }
        var out = [Float](repeating: 0, count: count * p)
        guard count > 0, let base = vectors.baseAddress else { return out }
        components.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                let packed = MatrixProduct.PackedTransposed(rows: w.baseAddress!, count: p, depth: d)
                defer { packed.free() }
                out.withUnsafeMutableBufferPointer { o in
                    let target = SharedBuffer(base: o.baseAddress!)
                    parallelRanges(count, minimumPerWorker: 4096) { rows in
                        for start in stride(from: rows.lowerBound, to: rows.upperBound, by: 4096) {
                            let m = min(4096, rows.upperBound - start)
                            packed.multiply(base + start * d, rows: m, into: target.base + start * p)
                            for r in 0..<m {
                                for c in 0..<p { target.base[(start + r) * p + c] += b[c] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Projects one vector.
    public func project(_ vector: [Float]) -> [Float] {
        vector.withUnsafeBufferPointer { project($0, count: 1) }
    }

    static func columnMeans(_ x: [Float], count n: Int, dimension d: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: d)
        x.withUnsafeBufferPointer { x in
            var block = [Float](repeating: 0, count: d)
            for start in stride(from: 0, to: n, by: 1024) {
                for i in 0..<d { block[i] = 0 }
                for r in start..<min(n, start + 1024) {
                    for i in 0..<d { block[i] += x[r * d + i] }
                }
                for i in 0..<d { sums[i] += Double(block[i]) }
            }
        }
        return sums.map { $0 / Double(n) }
    }

    /// The d×d covariance (divided by n), from blocks of 512 rows: each block's XᵀX is one
    /// product, added into a per-core double accumulator.
    static func covarianceMatrix(_ x: [Float], count n: Int, dimension d: Int, mean: [Double]) -> [Double] {
        let blockRows = 512
        let blocks = (n + blockRows - 1) / blockRows
        let workers = min(max(1, ProcessInfo.processInfo.activeProcessorCount), blocks)
        var partials = [[Double]](repeating: [], count: workers)
        x.withUnsafeBufferPointer { x in
            partials.withUnsafeMutableBufferPointer { partials in
                let target = SharedBuffer(base: partials.baseAddress!)
                let base = SharedBuffer(base: UnsafeMutablePointer(mutating: x.baseAddress!))
                parallelWorkers(workers) { worker in
                    let range = (blocks * worker / workers)..<(blocks * (worker + 1) / workers)
                    var sum = [Double](repeating: 0, count: d * d)
                    let transposed = UnsafeMutablePointer<Float>.allocate(capacity: d * blockRows)
                    let product = UnsafeMutablePointer<Float>.allocate(capacity: d * d)
                    defer { transposed.deallocate(); product.deallocate() }
                    for block in range {
                        let start = block * blockRows
                        let m = min(blockRows, n - start)
                        let rows = base.base + start * d
                        for r in 0..<m {
                            for i in 0..<d { transposed[i * m + r] = rows[r * d + i] }
                        }
                        // Xᵀ (d×m) · X (m×d): B = X, whose "rows of Bᵀ" are X's columns.
                        let packed = UnsafeMutablePointer<Float>.allocate(capacity: VectorMath.packedCount(k: m, n: d))
                        VectorMath.pack(k: m, n: d, source: rows, rowStride: d, columnStride: 1, into: packed)
                        VectorMath.multiply(m: d, n: d, k: m, a: transposed, lda: m, packedB: packed, c: product, ldc: d)
                        packed.deallocate()
                        for i in 0..<(d * d) { sum[i] += Double(product[i]) }
                    }
                    target.base[worker] = sum
                }
            }
        }
        var covariance = [Double](repeating: 0, count: d * d)
        for partial in partials where !partial.isEmpty {
            for i in 0..<(d * d) { covariance[i] += partial[i] }
        }
        for i in 0..<d {
            for j in 0..<d { covariance[i * d + j] = covariance[i * d + j] / Double(n) - mean[i] * mean[j] }
        }
        return covariance
    }

    /// The `count` leading eigenpairs of a symmetric d×d matrix: Jacobi directly when d is
    /// small, else subspace iteration on a block of `count` + 20 vectors (the extra ones make
    /// the wanted ones converge at the rate λ(count+21)/λ(count)), with a Rayleigh–Ritz step
    /// every few products and a stop when the Ritz values settle.
    static func leadingEigenvectors(_ c: [Double], size d: Int, count p: Int, seed: UInt64)
        -> (values: [Double], vectors: [Double]) {
        let block = min(d, p + 20)
        if block >= d || d <= 96 {
            let (values, vectors) = SymmetricEigen.decompose(c, size: d)
            return (Array(values[0..<p]), Array(vectors[0..<(p * d)]))
        }
        let cFloat = c.map(Float.init)
        var random = SeededGenerator(seed: seed)
        var q = (0..<(block * d)).map { _ in Float(random.unit() - 0.5) }   // block rows of d
        orthonormalizeRows(&q, rows: block, width: d)
        var previous = [Double](repeating: .infinity, count: p)
        var ritzValues = [Double](), ritzVectors = [Float]()
        for round in 0..<40 {
            for _ in 0..<2 {
                // Two products between orthonormalisations: the spread they add (λ₁/λₖ squared)
                // is well inside float precision for embedding spectra.
                q = multiplyRows(q, rows: block, by: cFloat, size: d)
                q = multiplyRows(q, rows: block, by: cFloat, size: d)
                orthonormalizeRows(&q, rows: block, width: d)
            }
            // Rayleigh–Ritz: H = Q C Qᵀ, eigenvectors of H rotate Q onto the best estimates.
            let cq = multiplyRows(q, rows: block, by: cFloat, size: d)
            var h = [Double](repeating: 0, count: block * block)
            for i in 0..<block {
                for j in 0..<block {
                    var s = 0.0
                    for k in 0..<d { s += Double(q[i * d + k]) * Double(cq[j * d + k]) }
                    h[i * block + j] = s
                }
            }
            for i in 0..<block { for j in 0..<i { let m = (h[i * block + j] + h[j * block + i]) / 2; h[i * block + j] = m; h[j * block + i] = m } }
            let (values, rotation) = SymmetricEigen.decompose(h, size: block)
            var rotated = [Float](repeating: 0, count: block * d)
            for r in 0..<block {
                for k in 0..<block {
                    let w = Float(rotation[r * block + k])
                    if w == 0 { continue }
                    for i in 0..<d { rotated[r * d + i] += w * q[k * d + i] }
                }
            }
            q = rotated
            ritzValues = values
            ritzVectors = q
            let settled = (0..<p).allSatisfy { abs(values[$0] - previous[$0]) <= 1e-6 * max(abs(values[0]), 1e-30) }
            previous = Array(values[0..<p])
            if settled && round > 0 { break }
        }
        return (Array(ritzValues[0..<p]), Array(ritzVectors[0..<(p * d)]).map(Double.init))
    }

    /// Each row of `q` (rows × d) times the symmetric `c` (d×d): (C·Qᵀ)ᵀ = Q·C.
    private static func multiplyRows(_ q: [Float], rows: Int, by c: [Float], size d: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * d)
        q.withUnsafeBufferPointer { q in
            c.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { o in
                    // C is symmetric, so its rows are the rows of Cᵀ.
                    MatrixProduct.timesTransposed(q.baseAddress!, rows: rows, c.baseAddress!, rows: d, depth: d,
                                                  into: o.baseAddress!)
                }
            }
        }
        return out
    }

    /// Modified Gram–Schmidt in doubles, twice over for stability.
    static func orthonormalizeRows(_ q: inout [Float], rows: Int, width d: Int) {
        var storage = q.map(Double.init)
        storage.withUnsafeMutableBufferPointer { x in
        for _ in 0..<2 {
            for r in 0..<rows {
                for s in 0..<r {
                    var dot = 0.0
                    for i in 0..<d { dot += x[r * d + i] * x[s * d + i] }
                    for i in 0..<d { x[r * d + i] -= dot * x[s * d + i] }
                }
                var norm = 0.0
                for i in 0..<d { norm += x[r * d + i] * x[r * d + i] }
                norm = norm.squareRoot()
                if norm < 1e-30 {
                    // A lost direction: restart it on a unit axis; the next pass orthogonalises it.
                    for i in 0..<d { x[r * d + i] = i == r % d ? 1 : 0 }
                } else {
                    for i in 0..<d { x[r * d + i] /= norm }
                }
            }
        }
        }
        q = storage.map(Float.init)
    }
}
