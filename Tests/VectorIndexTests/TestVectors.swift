import Foundation

/// Seeded unit vectors for the index tests: uniform on the sphere, or clustered (points
/// scattered around a few hundred centres, like sentence embeddings of related papers).
struct TestVectors {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Float {
        let u = (Double(next() >> 11) + 0.5) / Double(1 << 53)
        let v = Double(next() >> 11) / Double(1 << 53)
        return Float((-2 * Foundation.log(u)).squareRoot() * cos(2 * Double.pi * v))
    }

    static func normalized(_ x: [Float]) -> [Float] {
        let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return x.map { $0 / norm }
    }

    mutating func uniform(count: Int, dimension: Int) -> [[Float]] {
        (0..<count).map { _ in Self.normalized((0..<dimension).map { _ in gaussian() }) }
    }

    mutating func clustered(count: Int, dimension: Int, clusters: Int, spread: Float = 0.5) -> [[Float]] {
        let centres = uniform(count: clusters, dimension: dimension)
        let noise = spread / Float(dimension).squareRoot()
        return (0..<count).map { _ in
            let centre = centres[Int(next() % UInt64(clusters))]
            return Self.normalized(centre.map { $0 + noise * gaussian() })
        }
    }

    /// The `k` keys with the highest float dot product, best first (the reference).
    static func bruteForce(_ query: [Float], _ vectors: [(key: String, vector: [Float])], k: Int) -> [String] {
        vectors.map { (key: $0.key, score: zip(query, $0.vector).reduce(Float(0)) { $0 + $1.0 * $1.1 }) }
            .sorted { $0.score > $1.score }
            .prefix(k)
            .map(\.key)
    }

    static func keyed(_ vectors: [[Float]], prefix: String = "p") -> [(key: String, vector: [Float])] {
        vectors.enumerated().map { (key: "\(prefix)\($0.offset)", vector: $0.element) }
    }
}
