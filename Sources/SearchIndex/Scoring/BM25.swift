import Foundation

/// Okapi BM25 in Lucene's form — the formula of Lucene, tantivy and bm25s `method="lucene"`:
/// `idf = ln(1 + (N − df + 0.5) / (df + 0.5))` and a term scores
/// `boost · idf · tf / (tf + k1 · (1 − b + b · dl / avgdl))` in a document.
public struct BM25Parameters: Sendable, Equatable, Codable {
    public var k1: Float
    public var b: Float

    public init(k1: Float = 1.2, b: Float = 0.75) {
        self.k1 = k1
        self.b = b
    }

    /// Inverse document frequency of a term held by `documentFrequency` of `documentCount` documents.
    public static func idf(documentFrequency: Int, documentCount: Int) -> Float {
        let n = Double(documentCount), df = Double(documentFrequency)
        return Float(log(1 + (n - df + 0.5) / (df + 0.5)))
    }
}

/// The BM25 weight of one term (or phrase) in one field, for one query: everything but the
/// document's frequency and length folded into three constants.
struct BM25Weight: Sendable {
    /// `boost · idf`: the limit a document's score approaches as the frequency grows.
    let weight: Float
    private let constant: Float
    private let perLength: Float

    init(boost: Float, idf: Float, averageLength: Float, parameters: BM25Parameters) {
        weight = boost * idf
        constant = parameters.k1 * (1 - parameters.b)
        perLength = averageLength > 0 ? parameters.k1 * parameters.b / averageLength : 0
    }

    @inline(__always)
    func score(frequency: UInt32, length: UInt32) -> Float {
        let tf = Float(frequency)
        return weight * tf / (tf + (constant + perLength * Float(length)))
    }

    /// The normalization `k1 · (1 − b + b · dl / avgdl)` for a field length, for explanations.
    func normalization(length: UInt32) -> Float { constant + perLength * Float(length) }
}

/// Document counts and lengths of a field over the whole index, which every segment's
/// scores share so a document scores the same whichever segment holds it.
struct FieldStatistics: Sendable {
    var documentCount: Int = 0
    var totalLength: UInt64 = 0

    var averageLength: Float {
        documentCount == 0 ? 0 : Float(Double(totalLength) / Double(documentCount))
    }
}
