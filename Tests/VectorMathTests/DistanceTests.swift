import Testing
import VectorMath
#if arch(x86_64)
import SIMDKernelsAVX2
#endif

/// Both kernel builds (baseline and AVX2 + FMA) against plain scalar loops.
struct DistanceTests {
    /// Lengths that exercise the 32-, 16- and 8-wide loops and every tail.
    static let lengths = [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 100, 383, 384, 385]

    struct Kernels: Sendable {
        var name: String
        var dot: @Sendable (UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Float
        var dotInt8: @Sendable (UnsafePointer<Int8>, UnsafePointer<Int8>, Int) -> Int32
        var quantize: @Sendable (UnsafePointer<Float>, Int, UnsafeMutablePointer<Int8>) -> Float
        var dotFloatInt8: @Sendable (UnsafePointer<Float>, UnsafePointer<Int8>, Int) -> Float
    }

    static var builds: [Kernels] {
        var all = [Kernels(name: "baseline", dot: { BaselineDistance.dot($0, $1, count: $2) },
                           dotInt8: { BaselineDistance.dotInt8($0, $1, count: $2) },
                           quantize: { BaselineDistance.quantize($0, count: $1, into: $2) },
                           dotFloatInt8: { BaselineDistance.dotFloatInt8($0, $1, count: $2) })]
        #if arch(x86_64)
        if CPUFeatures.current.contains([.avx2, .fma]) {
            all.append(Kernels(name: "avx2", dot: { AVX2Distance.dot($0, $1, count: $2) },
                               dotInt8: { AVX2Distance.dotInt8($0, $1, count: $2) },
                               quantize: { AVX2Distance.quantize($0, count: $1, into: $2) },
                               dotFloatInt8: { AVX2Distance.dotFloatInt8($0, $1, count: $2) }))
        }
        #endif
        return all
    }

    @Test(arguments: builds.map(\.name))
    func floatDotMatchesScalarLoop(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        var random = SplitMix(seed: 1)
        for n in Self.lengths {
            let a = (0..<n).map { _ in random.nextFloat() }, b = (0..<n).map { _ in random.nextFloat() }
            let expected = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let got = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                kernels.dot(pa.baseAddress ?? UnsafePointer(bitPattern: 16)!, pb.baseAddress ?? UnsafePointer(bitPattern: 16)!, n)
            } }
            #expect(abs(Double(got) - expected) <= 1e-5 * Double(max(n, 1)), "n=\(n) \(build)")
        }
    }

    @Test(arguments: builds.map(\.name))
    func int8DotIsExact(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        var random = SplitMix(seed: 2)
        for n in Self.lengths + [4096] {
            var a = (0..<n).map { _ in Int8(truncatingIfNeeded: Int(random.next() % 255) - 127) }
            var b = (0..<n).map { _ in Int8(truncatingIfNeeded: Int(random.next() % 255) - 127) }
            if n > 3 { a[0] = 127; b[0] = 127; a[1] = -127; b[1] = -127; a[2] = 127; b[2] = -127 }
            let expected = zip(a, b).reduce(Int32(0)) { $0 + Int32($1.0) * Int32($1.1) }
            let got = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
                kernels.dotInt8(pa.baseAddress ?? UnsafePointer(bitPattern: 16)!, pb.baseAddress ?? UnsafePointer(bitPattern: 16)!, n)
            } }
            #expect(got == expected, "n=\(n) \(build)")
        }
    }

    @Test(arguments: builds.map(\.name))
    func floatTimesInt8DotMatchesScalarLoop(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        var random = SplitMix(seed: 6)
        for n in Self.lengths where n > 0 {
            let q = (0..<n).map { _ in random.nextFloat() }
            let c = (0..<n).map { _ in Int8(truncatingIfNeeded: Int(random.next() % 255) - 127) }
            let expected = zip(q, c).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let got = q.withUnsafeBufferPointer { pq in c.withUnsafeBufferPointer { kernels.dotFloatInt8(pq.baseAddress!, $0.baseAddress!, n) } }
            #expect(abs(Double(got) - expected) <= 1e-4 * Double(n) * 127, "n=\(n) \(build)")
        }
    }

    @Test(arguments: builds.map(\.name))
    func quantizationRoundTripsWithinHalfAStep(build: String) throws {
        let kernels = try #require(Self.builds.first { $0.name == build })
        var random = SplitMix(seed: 3)
        let x = (0..<384).map { _ in random.nextFloat() * 0.3 }
        var codes = [Int8](repeating: 0, count: 384)
        let scale = x.withUnsafeBufferPointer { px in codes.withUnsafeMutableBufferPointer { kernels.quantize(px.baseAddress!, 384, $0.baseAddress!) } }
        #expect(codes.map { abs(Int($0)) }.max() == 127)
        #expect(!codes.contains(-128))
        for i in 0..<384 { #expect(abs(Float(codes[i]) * scale - x[i]) <= scale / 2 + 1e-7) }
        let zeros = [Float](repeating: 0, count: 8)
        var zeroCodes = [Int8](repeating: 1, count: 8)
        let zeroScale = zeros.withUnsafeBufferPointer { pz in zeroCodes.withUnsafeMutableBufferPointer { kernels.quantize(pz.baseAddress!, 8, $0.baseAddress!) } }
        #expect(zeroScale == 0 && zeroCodes.allSatisfy { $0 == 0 })
    }

    @Test func batchFormsMatchOneRowAtATime() {
        var random = SplitMix(seed: 4)
        let d = 48, rows = 37
        let base = (0..<(d * rows)).map { _ in random.nextFloat() }
        let query = (0..<d).map { _ in random.nextFloat() }
        var codes = [Int8](repeating: 0, count: d * rows)
        var scales = [Float](repeating: 0, count: rows)
        var queryCodes = [Int8](repeating: 0, count: d)
        base.withUnsafeBufferPointer { b in codes.withUnsafeMutableBufferPointer { c in
            for r in 0..<rows { scales[r] = VectorMath.quantizeInt8(b.baseAddress! + r * d, count: d, into: c.baseAddress! + r * d) }
        } }
        _ = query.withUnsafeBufferPointer { q in queryCodes.withUnsafeMutableBufferPointer { VectorMath.quantizeInt8(q.baseAddress!, count: d, into: $0.baseAddress!) } }
        let ids: [UInt32] = [5, 0, 36, 5, 17, 2]
        var rowScores = [Float](repeating: 0, count: rows), gathered = [Float](repeating: 0, count: ids.count)
        var rowScoresInt8 = [Float](repeating: 0, count: rows), gatheredInt8 = [Float](repeating: 0, count: ids.count)
        query.withUnsafeBufferPointer { q in base.withUnsafeBufferPointer { b in
            VectorMath.dotRows(query: q.baseAddress!, rows: b.baseAddress!, dimension: d, rowCount: rows, scores: &rowScores)
            VectorMath.dotGathered(query: q.baseAddress!, rows: b.baseAddress!, dimension: d, ids: ids, idCount: ids.count, scores: &gathered)
        } }
        queryCodes.withUnsafeBufferPointer { q in codes.withUnsafeBufferPointer { c in
            VectorMath.dotRowsInt8(query: q.baseAddress!, rows: c.baseAddress!, dimension: d, rowCount: rows,
                                   rowScales: scales, scores: &rowScoresInt8)
            VectorMath.dotGatheredInt8(query: q.baseAddress!, rows: c.baseAddress!, dimension: d, ids: ids,
                                       idCount: ids.count, rowScales: scales, scores: &gatheredInt8)
        } }
        for r in 0..<rows {
            let one = query.withUnsafeBufferPointer { q in base.withUnsafeBufferPointer { VectorMath.dot(q.baseAddress!, $0.baseAddress! + r * d, count: d) } }
            #expect(rowScores[r] == one)
            let oneInt8 = queryCodes.withUnsafeBufferPointer { q in codes.withUnsafeBufferPointer { VectorMath.dotInt8(q.baseAddress!, $0.baseAddress! + r * d, count: d) } }
            #expect(rowScoresInt8[r] == Float(oneInt8) * scales[r])
        }
        for (j, id) in ids.enumerated() {
            #expect(gathered[j] == rowScores[Int(id)])
            #expect(gatheredInt8[j] == rowScoresInt8[Int(id)])
        }
    }

    @Test func avx2AndBaselineAgreeOnIndexSizedVectors() {
        #if arch(x86_64)
        guard CPUFeatures.current.contains([.avx2, .fma]) else { return }
        var random = SplitMix(seed: 5)
        let a = (0..<384).map { _ in random.nextFloat() }, b = (0..<384).map { _ in random.nextFloat() }
        let fast = AVX2Distance.dot(a, b, count: 384), slow = BaselineDistance.dot(a, b, count: 384)
        #expect(abs(fast - slow) < 1e-4)
        #endif
    }
}

/// A small seeded generator so the tests see the same numbers on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
}
