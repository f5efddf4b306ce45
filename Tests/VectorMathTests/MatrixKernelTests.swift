import Foundation
import Testing
import SIMDKernels
import VectorMath
#if arch(x86_64)
import SIMDKernelsAVX2
#endif

/// The transformer's kernels in both builds (baseline and AVX2 + FMA) against scalar loops
/// in Double, on shapes that hit every edge of the 6×16 tiles and the 256-deep blocks.
struct MatrixKernelTests {
    struct Kernels: Sendable {
        var name: String
        var multiply: @Sendable (Int, Int, Int, UnsafePointer<Float>, Int, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int,
                                 UnsafePointer<Float>?, Bool) -> Void
        var gelu: @Sendable (UnsafeMutablePointer<Float>, Int) -> Void
        var softmax: @Sendable (UnsafeMutablePointer<Float>, Int, Int, Int, Float) -> Void
        var addLayerNorm: @Sendable (UnsafeMutablePointer<Float>, UnsafePointer<Float>?, UnsafePointer<Float>, UnsafePointer<Float>, Int, Float) -> Void
    }

    static var builds: [Kernels] {
        var all = [Kernels(
            name: "baseline",
            multiply: { Gemm.multiply(SeparateMultiplyAdd.self, m: $0, n: $1, k: $2, a: $3, lda: $4, packedB: $5, c: $6, ldc: $7,
                                      bias: $8, accumulate: $9) },
            gelu: { Activations.gelu(SeparateMultiplyAdd.self, $0, count: $1) },
            softmax: { Activations.softmax(SeparateMultiplyAdd.self, $0, rows: $1, count: $2, stride: $3, scale: $4) },
            addLayerNorm: { Normalization.addLayerNorm(SeparateMultiplyAdd.self, $0, residual: $1, gamma: $2, beta: $3, count: $4, epsilon: $5) })]
        #if arch(x86_64)
        if CPUFeatures.current.contains([.avx2, .fma]) {
            all.append(Kernels(
                name: "avx2",
                multiply: { AVX2Kernels.multiply(m: $0, n: $1, k: $2, a: $3, lda: $4, packedB: $5, c: $6, ldc: $7,
                                                 bias: $8, accumulate: $9) },
                gelu: { AVX2Kernels.gelu($0, count: $1) },
                softmax: { AVX2Kernels.softmax($0, rows: $1, count: $2, stride: $3, scale: $4) },
                addLayerNorm: { AVX2Kernels.addLayerNorm($0, residual: $1, gamma: $2, beta: $3, count: $4, epsilon: $5) }))
        }
        #endif
        return all
    }

    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in generator.nextFloat() }
    }

    /// (m, n, k): single elements, partial tiles, more than one k block and m block, and
    /// the model's own shapes.
    static let shapes = [(1, 1, 1), (5, 17, 3), (6, 16, 256), (7, 33, 257), (13, 1, 40), (97, 48, 300), (200, 384, 384), (64, 1536, 384)]

    @Test(arguments: builds.map(\.name))
    func multiplyMatchesScalarProduct(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        for (m, n, k) in Self.shapes {
            let a = Self.random(m * k, seed: 1), b = Self.random(k * n, seed: 2), bias = Self.random(n, seed: 3)
            let start = Self.random(m * n, seed: 4)
            for (useBias, accumulate) in [(false, false), (true, false), (true, true)] {
                var packed = [Float](repeating: .nan, count: Gemm.packedCount(k: k, n: n))
                var c = start
                // B transposed in memory (column stride k), as a weight matrix is stored.
                let bT = (0..<(n * k)).map { b[($0 % k) * n + $0 / k] }
                bT.withUnsafeBufferPointer { source in
                    Gemm.pack(k: k, n: n, source: source.baseAddress!, rowStride: 1, columnStride: k, into: &packed)
                }
                a.withUnsafeBufferPointer { a in
                    packed.withUnsafeBufferPointer { packed in
                        bias.withUnsafeBufferPointer { bias in
                            kernels.multiply(m, n, k, a.baseAddress!, k, packed.baseAddress!, &c, n,
                                             useBias ? bias.baseAddress! : nil, accumulate)
                        }
                    }
                }
                for i in 0..<m {
                    for j in 0..<n {
                        var expected = accumulate ? Double(start[i * n + j]) : 0
                        if useBias { expected += Double(bias[j]) }
                        for p in 0..<k { expected += Double(a[i * k + p]) * Double(b[p * n + j]) }
                        let got = Double(c[i * n + j])
                        #expect(abs(got - expected) <= 1e-5 * Double(k).squareRoot() + 1e-6,
                                "\(build) \(m)×\(n)×\(k) bias \(useBias) acc \(accumulate) at (\(i), \(j)): \(got) vs \(expected)")
                        if abs(got - expected) > 1e-3 { return }
                    }
                }
            }
        }
    }

    @Test(arguments: builds.map(\.name))
    func geluIsTheErfForm(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        var values = (0..<2003).map { Float($0 - 1000) / 100 } + [-30, 30, 0, .leastNormalMagnitude]
        let inputs = values
        kernels.gelu(&values, values.count)
        for (x, y) in zip(inputs, values) {
            let expected = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            #expect(abs(Double(y) - expected) <= 2e-6 * max(1, abs(expected)), "\(build) gelu(\(x)) = \(y), expected \(expected)")
        }
    }

    @Test(arguments: builds.map(\.name))
    func softmaxRowsSumToOneAndMatchExp(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        for count in [1, 7, 8, 9, 31, 256] {
            let rows = 3, stride = count + 5
            var scores = Self.random(rows * stride, seed: UInt64(count)).map { $0 * 40 }
            let inputs = scores
            let scale: Float = 0.125
            kernels.softmax(&scores, rows, count, stride, scale)
            for r in 0..<rows {
                let row = inputs[(r * stride)..<(r * stride + count)].map { Double($0) * Double(scale) }
                let top = row.max()!
                let total = row.reduce(0) { $0 + Foundation.exp($1 - top) }
                for j in 0..<count {
                    let expected = Foundation.exp(row[j] - top) / total
                    #expect(abs(Double(scores[r * stride + j]) - expected) <= 1e-6 + 1e-5 * expected, "\(build) row \(r) col \(j) of \(count)")
                }
                for j in count..<stride { #expect(scores[r * stride + j] == inputs[r * stride + j], "padding is left alone") }
            }
        }
    }

    @Test(arguments: builds.map(\.name))
    func addLayerNormMatchesDefinition(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        for count in [1, 8, 13, 384] {
            var row = Self.random(count, seed: 5).map { $0 * 3 + 1 }
            let residual = Self.random(count, seed: 6), gamma = Self.random(count, seed: 7), beta = Self.random(count, seed: 8)
            let sum = zip(row, residual).map { Double($0) + Double($1) }
            kernels.addLayerNorm(&row, residual, gamma, beta, count, 1e-12)
            let mean = sum.reduce(0, +) / Double(count)
            let variance = sum.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
            for j in 0..<count {
                let expected = count == 1 ? Double(beta[j])
                    : (sum[j] - mean) / (variance + 1e-12).squareRoot() * Double(gamma[j]) + Double(beta[j])
                #expect(abs(Double(row[j]) - expected) <= 1e-5 * max(1, abs(expected)), "\(build) \(count) at \(j)")
            }
        }
    }

    @Test func meanPoolIsUnitLengthMean() {
        let rows = Self.random(5 * 384, seed: 9)
        var out = [Float](repeating: 0, count: 384)
        VectorMath.meanPoolNormalized(rows, count: 5, width: 384, into: &out)
        let mean = (0..<384).map { j in (0..<5).reduce(0.0) { $0 + Double(rows[$1 * 384 + j]) } / 5 }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in 0..<384 { #expect(abs(Double(out[j]) - mean[j] / norm) < 1e-6) }
    }

    @Test func cpuFlagsParse() {
        #expect(CPUFeatures.parse(flags: "fpu sse2 avx avx2 fma f16c") == [.avx2, .fma])
        #expect(CPUFeatures.parse(flags: "fpu avx512f avx2") == [.avx2, .avx512f])
        #expect(CPUFeatures.parse(flags: "").isEmpty)
    }
}
