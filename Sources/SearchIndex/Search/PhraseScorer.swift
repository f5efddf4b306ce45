/// Documents holding the terms at consecutive positions in one field. Scored as BM25 of the
/// phrase frequency with the sum of the terms' idf as its weight, as Lucene scores phrases.
final class PhraseScorer: Scorer {
    private let cursors: [PostingCursor]
    /// Place of each term inside the phrase (0, 1, 2, …).
    private let offsets: [UInt32]
    private let weight: BM25Weight
    private let field: SearchField
    private let text: String
    private let idf: Float
    private let boost: Float
    private let lengths: UnsafeMutablePointer<UInt16>
    private var frequency: UInt32 = 0
    private var positions: [[UInt32]]
    /// The term with the fewest documents: its blocks bound the phrase, which occurs in a
    /// document at most as often as that term and only in its documents.
    private let rarest: PostingCursor
    private(set) var document: UInt32 = 0
    let maxScore: Float

    init(cursors: [PostingCursor], offsets: [UInt32], weight: BM25Weight, field: SearchField, text: String, idf: Float, boost: Float) {
        precondition(!cursors.isEmpty && cursors.count == offsets.count, "a phrase has at least one term")
        self.cursors = cursors
        self.offsets = offsets
        self.weight = weight
        self.field = field
        self.text = text
        self.idf = idf
        self.boost = boost
        self.lengths = cursors[0].field.lengths.base
        self.positions = Array(repeating: [], count: cursors.count)
        self.maxScore = weight.weight
        self.rarest = cursors.min { $0.documentFrequency < $1.documentFrequency } ?? cursors[0]
        settle(from: cursors[0].document)
    }

    func boundaryAfter(_ target: UInt32) -> UInt32 { rarest.boundaryAfter(target) }

    func bound(from target: UInt32, upTo last: UInt32) -> Float { rarest.bound(from: target, upTo: last, weight: weight) }

    func advance(to target: UInt32) {
        guard document < target else { return }
        settle(from: target)
    }

    func score() -> Float { weight.score(frequency: frequency, length: UInt32(lengths[Int(document)])) }

    func explain(into parts: inout [TermContribution]) {
        parts.append(TermContribution(
            field: field, term: text, frequency: frequency, fieldLength: UInt32(lengths[Int(document)]),
            idf: idf, boost: boost, score: score()))
    }

    /// Moves to the first document at or after `target` where every term is present and the
    /// phrase occurs.
    private func settle(from target: UInt32) {
        var candidate = target
        while true {
            // Leapfrog until all cursors agree on one document.
            var agreed = false
            while !agreed {
                agreed = true
                for cursor in cursors {
                    cursor.advance(to: candidate)
                    if cursor.document == PostingCursor.exhausted {
                        document = PostingCursor.exhausted
                        return
                    }
                    if cursor.document > candidate {
                        candidate = cursor.document
                        agreed = false
                    }
                }
            }
            frequency = phraseFrequency()
            if frequency > 0 {
                document = candidate
                return
            }
            candidate += 1
        }
    }

    /// Occurrences of the phrase in the document all cursors are on.
    private func phraseFrequency() -> UInt32 {
        for i in cursors.indices { cursors[i].positions(into: &positions[i]) }
        var count: UInt32 = 0
        var pointers = [Int](repeating: 0, count: cursors.count)
        outer: for start in positions[0] {
            for i in 1..<cursors.count {
                let wanted = start + offsets[i]
                let list = positions[i]
                while pointers[i] < list.count, list[pointers[i]] < wanted { pointers[i] += 1 }
                if pointers[i] == list.count { break outer }
                if list[pointers[i]] != wanted { continue outer }
            }
            count += 1
        }
        return count
    }
}
