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
