import Foundation
import SIMDKernels
#if arch(x86_64)
import SIMDKernelsAVX2
#endif

/// The vector and matrix kernels the model and the vector index run on, dispatched at run
/// time: the AVX2 + FMA build when the CPU has both, the baseline build otherwise. Each
/// public function branches on `usesAVX2`, a constant the branch predictor learns at once.
public enum VectorMath {
    /// Whether this process runs the AVX2 + FMA kernels. `PAPERBOY_KERNELS=baseline` forces
    /// the baseline ones (to compare them, or on a CPU that misreports).
    public static let usesAVX2: Bool = {
        #if arch(x86_64)
        if ProcessInfo.processInfo.environment["PAPERBOY_KERNELS"] == "baseline" { return false }
        return CPUFeatures.current.contains(.avx2) && CPUFeatures.current.contains(.fma)
        #else
        return false
        #endif
    }()

    /// A name for logs and benchmarks.
    public static var kernelName: String { usesAVX2 ? "avx2+fma" : "baseline" }
}

/// The instruction-set extensions the kernels care about.
public struct CPUFeatures: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let avx2 = CPUFeatures(rawValue: 1 << 0)
    public static let fma = CPUFeatures(rawValue: 1 << 1)
    public static let avx512f = CPUFeatures(rawValue: 1 << 2)

    /// Read once from the operating system: `/proc/cpuinfo` on Linux, `sysctl` on macOS.
    public static let current: CPUFeatures = {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return [] }
        return parse(flags: flagsLine.split(separator: ":").last.map(String.init) ?? "")
        #elseif os(macOS)
        var features: CPUFeatures = []
        for (name, feature) in [("hw.optional.avx2_0", CPUFeatures.avx2), ("hw.optional.fma", .fma),
                                ("hw.optional.avx512f", .avx512f)] {
            var value: Int32 = 0
            var size = MemoryLayout<Int32>.size
            if sysctlbyname(name, &value, &size, nil, 0) == 0, value != 0 { features.insert(feature) }
        }
        return features
        #else
        return []
        #endif
    }()

    /// The features named in a `/proc/cpuinfo` flags list.
    public static func parse(flags: String) -> CPUFeatures {
        let names = Set(flags.split(separator: " ").map(String.init))
        var features: CPUFeatures = []
        if names.contains("avx2") { features.insert(.avx2) }
        if names.contains("fma") { features.insert(.fma) }
        if names.contains("avx512f") { features.insert(.avx512f) }
        return features
    }
}
