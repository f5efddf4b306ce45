import Foundation
import SIMDKernels
#if arch(x86_64)
import SIMDKernelsAVX2
#endif

extension VectorMath {
    /// The measured peak single-precision rate of `threads` threads, in GFLOP/s, with the
    /// kernels this process uses (the best of `repeats` one-tenth-second runs).
    public static func measurePeakGFLOPS(threads: Int, repeats: Int = 5) -> Double {
        let iterations = 20_000_000
        var best = 0.0
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                let value = peakProbe(iterations: iterations, seed: Float(worker) * 1e-9)
                if value == .infinity { print("") }   // keeps the result alive
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, Double(threads * iterations * PeakProbe.flopsPerIteration) / seconds / 1e9)
        }
        return best
    }

    static func peakProbe(iterations: Int, seed: Float) -> Float {
        #if arch(x86_64)
        if usesAVX2 { return AVX2Kernels.peakProbe(iterations: iterations, seed: seed) }
        #endif
        return PeakProbe.run(SeparateMultiplyAdd.self, iterations: iterations, seed: seed)
    }
}

extension VectorMath {
    /// The rate `multiply` reaches on one thread for an `m×k` by `k×n` product (the best
    /// of `repeats` runs of about a tenth of a second), in GFLOP/s: how close the blocked
    /// kernel comes to `measurePeakGFLOPS(threads: 1)`.
    public static func measureMultiplyGFLOPS(m: Int, n: Int, k: Int, repeats: Int = 5) -> Double {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: k * n)
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: packedCount(k: k, n: n))
        let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
        defer { [a, b, packed, c].forEach { $0.deallocate() } }
        for i in 0..<(m * k) { a[i] = Float(i % 17) * 0.01 }
        for i in 0..<(k * n) { b[i] = Float(i % 13) * 0.01 }
        pack(k: k, n: n, source: b, rowStride: n, columnStride: 1, into: packed)
        let flops = 2.0 * Double(m * n * k)
        let rounds = max(1, Int(1e10 / flops))
        var best = 0.0
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<rounds {
                multiply(m: m, n: n, k: k, a: a, lda: k, packedB: packed, c: c, ldc: n)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, flops * Double(rounds) / seconds / 1e9)
        }
        return best
    }
}
