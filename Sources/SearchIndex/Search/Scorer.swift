/// A matching-and-scoring iterator over the documents of one segment, in increasing order:
/// a term, a phrase, or a group of them. The top-k search drives scorers and skips what
/// their bounds prove cannot make the top k.
protocol Scorer: AnyObject {
    /// The current document, or `PostingCursor.exhausted`.
    var document: UInt32 { get }
    /// Moves to the first document at or after `target`.
    func advance(to target: UInt32)
    /// The score of the current document.
    func score() -> Float
    /// No document scores more.
    var maxScore: Float { get }
    /// The last document of the stretch from `target` over which `bound(upTo:)` is tight
    /// (a postings block), without decoding anything; `exhausted` when it has no such stretch.
    func boundaryAfter(_ target: UInt32) -> UInt32
    /// No document from the current stretch's start up to `last` scores more.
    func bound(from target: UInt32, upTo last: UInt32) -> Float
    /// Adds the leaf terms that match the current document, with their contributions.
    func explain(into parts: inout [TermContribution])
}

extension Scorer {
    func boundaryAfter(_ target: UInt32) -> UInt32 { PostingCursor.exhausted }
    func bound(from target: UInt32, upTo last: UInt32) -> Float { maxScore }
}

/// One term's (or phrase's) share of a document's score, for `--explain`.
public struct TermContribution: Sendable, Equatable {
    public var field: SearchField
    /// The indexed term, or the phrase's terms joined by spaces.
    public var term: String
    public var frequency: UInt32
    public var fieldLength: UInt32
    public var idf: Float
    public var boost: Float
    public var score: Float
}

/// A term in one field: its postings and its BM25 weight.
final class TermScorer: Scorer {
    let cursor: PostingCursor
    let weight: BM25Weight
    let field: SearchField
    let term: String
    let idf: Float
    let boost: Float
    private let lengths: UnsafeMutablePointer<UInt16>
    let maxScore: Float

    init(cursor: PostingCursor, weight: BM25Weight, field: SearchField, term: String, idf: Float, boost: Float) {
        self.cursor = cursor
        self.weight = weight
        self.field = field
        self.term = term
        self.idf = idf
        self.boost = boost
        self.lengths = cursor.field.lengths.base
        // tf / (tf + k) < 1, so the weight bounds every score; blocks give tighter bounds.
        self.maxScore = weight.weight
    }

    var document: UInt32 { cursor.document }

    @inline(__always)
    func advance(to target: UInt32) { cursor.advance(to: target) }

    @inline(__always)
    func next() { cursor.next() }

    @inline(__always)
    func score() -> Float {
        weight.score(frequency: cursor.frequency, length: UInt32(lengths[Int(cursor.document)]))
    }

    @inline(__always)
    func boundaryAfter(_ target: UInt32) -> UInt32 { cursor.boundaryAfter(target) }

    @inline(__always)
    func bound(from target: UInt32, upTo last: UInt32) -> Float { cursor.bound(from: target, upTo: last, weight: weight) }

    func explain(into parts: inout [TermContribution]) {
        parts.append(TermContribution(
            field: field, term: term, frequency: cursor.frequency, fieldLength: UInt32(lengths[Int(cursor.document)]),
            idf: idf, boost: boost, score: score()))
    }
}
