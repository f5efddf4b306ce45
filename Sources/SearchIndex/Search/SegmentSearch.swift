/// The top-k search of one segment: documents that match every required clause (or, when
/// none is required, any optional one), no excluded clause and the filters, scored by the
/// sum of their matching clauses.
///
/// Dynamic pruning (MaxScore with block-max windows, as Lucene's `MaxScoreBulkScorer`):
/// the documents are visited in windows that end where some term's postings block ends.
/// Inside a window each optional clause has a bound from its block's skip data; the clauses
/// whose bounds together cannot beat the current k-th score are "non-essential": they are
/// only probed for documents some essential clause matches, and only while the document can
/// still make the top k. A window whose bounds all together cannot beat it is skipped
/// without decoding a block. With `pruning` off every matching document is scored, which
/// the tests use as the reference the pruned search must equal.
struct SegmentSearch {
    var required: [any Scorer]
    var optional: [any Scorer]
    var excluded: [any Scorer]
    /// Clauses every document must match that add nothing to its score (`cat:`).
    var filters: [any Scorer]
    var filter: DocumentFilter
    var pruning = true

    /// Slack on bounds, so a bound summed in another order than the score still bounds it.
    private static let slack: Float = 1.000_01

    func run(segmentOrdinal: Int, into collector: inout TopCollector) {
        let keyBase = UInt64(segmentOrdinal) << 32
        var scores = [Float](repeating: 0, count: required.count + optional.count)
        var matched = [Bool](repeating: false, count: required.count + optional.count)
        if required.isEmpty {
            // Plain terms (the common query) run a loop specialized for them, without dynamic dispatch.
            if let terms = optional as? [TermScorer] {
                runOptional(terms, keyBase: keyBase, scores: &scores, matched: &matched, collector: &collector)
            } else {
                runOptional(optional.map(ScorerBox.init), keyBase: keyBase, scores: &scores, matched: &matched, collector: &collector)
            }
        } else {
            runRequired(keyBase: keyBase, scores: &scores, matched: &matched, collector: &collector)
        }
    }

    /// Sums the matched clauses' scores in clause order, so a document's score does not
    /// depend on the order pruning visited its clauses in.
    @inline(__always)
    private func total(_ scores: [Float], _ matched: [Bool]) -> Float {
        var sum: Float = 0
        for i in scores.indices where matched[i] { sum += scores[i] }
        return sum
    }

    /// Whether an excluded clause matches the document or a filter clause does not.
    @inline(__always)
    private func isExcluded(_ document: UInt32) -> Bool {
        for clause in filters {
            clause.advance(to: document)
            if clause.document != document { return true }
        }
        for clause in excluded {
            clause.advance(to: document)
            if clause.document == document { return true }
        }
        return false
    }

    private func runOptional<S: Scorer>(_ optional: [S], keyBase: UInt64, scores: inout [Float], matched: inout [Bool],
                                        collector: inout TopCollector) {
        let count = optional.count
        let slot = required.count
        var bounds = [Float](repeating: 0, count: count)
        var order = Array(0..<count)
        var windowStart: UInt32 = 0
        while windowStart != PostingCursor.exhausted {
            // The window ends where the first of the clauses' current blocks ends.
            var windowEnd = PostingCursor.exhausted
            var live = false
            for clause in optional where clause.document != PostingCursor.exhausted {
                live = true
                if pruning { windowEnd = min(windowEnd, clause.boundaryAfter(windowStart)) }
            }
            guard live else { return }

            // Split the clauses into essential and non-essential by their bounds here.
            let threshold = pruning ? collector.threshold : -.infinity
            for i in 0..<count {
                let clause = optional[i]
                bounds[i] = clause.document == PostingCursor.exhausted ? 0
                    : pruning ? clause.bound(from: windowStart, upTo: windowEnd) : clause.maxScore
            }
            Self.sort(&order, by: bounds)
            var nonEssential = 0
            var nonEssentialBound: Float = 0
            while nonEssential < count, (nonEssentialBound + bounds[order[nonEssential]]) * Self.slack <= threshold {
                nonEssentialBound += bounds[order[nonEssential]]
                nonEssential += 1
            }
            if nonEssential == count {
                windowStart = windowEnd == PostingCursor.exhausted ? windowEnd : windowEnd + 1
                continue
            }

            var next = windowStart
            var thresholdRose = false
            while !thresholdRose {
                // The next document an essential clause matches inside the window.
                var candidate = PostingCursor.exhausted
                for place in nonEssential..<count {
                    let clause = optional[order[place]]
                    clause.advance(to: next)
                    candidate = min(candidate, clause.document)
                }
                if candidate == PostingCursor.exhausted || candidate > windowEnd { break }
                next = candidate + 1
                guard filter.accepts(candidate) else { continue }
                // Bound the document by the window bounds of the clauses it matches before
                // scoring any: most documents match too few clauses to compete, and scoring
                // reads their field lengths, a cache miss each.
                if pruning {
                    var bound = nonEssentialBound
                    for place in nonEssential..<count where optional[order[place]].document == candidate {
                        bound += bounds[order[place]]
                    }
                    if bound * Self.slack <= threshold { continue }
                }

                var upper = nonEssentialBound
                for i in 0..<count { matched[slot + i] = false }
                for place in nonEssential..<count {
                    let i = order[place]
                    if optional[i].document == candidate {
                        scores[slot + i] = optional[i].score()
                        matched[slot + i] = true
                        upper += scores[slot + i]
                    }
                }
                // Probe non-essential clauses, largest bound first, while the document can still enter.
                var place = nonEssential - 1
                while place >= 0, upper * Self.slack > threshold {
                    let i = order[place]
                    optional[i].advance(to: candidate)
                    upper -= bounds[i]
                    if optional[i].document == candidate {
                        scores[slot + i] = optional[i].score()
                        matched[slot + i] = true
                        upper += scores[slot + i]
                    }
                    place -= 1
                }
                guard place < 0 || upper * Self.slack > threshold else { continue }
                let score = total(scores, matched)
                collector.evaluated += 1
                let key = keyBase | UInt64(candidate)
                guard collector.admits(score, key: key), !isExcluded(candidate) else { continue }
                collector.collect(score: score, key: key)
                if pruning && collector.threshold > threshold { thresholdRose = true }
            }
            if thresholdRose {
                windowStart = next
            } else {
                windowStart = windowEnd == PostingCursor.exhausted ? windowEnd : windowEnd + 1
            }
        }
    }

    private func runRequired(keyBase: UInt64, scores: inout [Float], matched: inout [Bool], collector: inout TopCollector) {
        let optionalOrder = optional.indices.sorted { optional[$0].maxScore > optional[$1].maxScore }
        let optionalBound = optional.reduce(Float(0)) { $0 + $1.maxScore }
        let slot = required.count
        var candidate: UInt32 = 0
        while true {
            candidate = firstCommonDocument(of: required, from: candidate)
            if candidate == PostingCursor.exhausted { return }
            defer { candidate += 1 }
            guard filter.accepts(candidate) else { continue }
            let threshold = pruning ? collector.threshold : -.infinity
            var upper = optionalBound
            for (i, clause) in required.enumerated() {
                scores[i] = clause.score()
                matched[i] = true
                upper += scores[i]
            }
            for i in optional.indices { matched[slot + i] = false }
            var rejected = false
            for i in optionalOrder {
                if upper * Self.slack <= threshold {
                    rejected = true
                    break
                }
                optional[i].advance(to: candidate)
                upper -= optional[i].maxScore
                if optional[i].document == candidate {
                    scores[slot + i] = optional[i].score()
                    matched[slot + i] = true
                    upper += scores[slot + i]
                }
            }
            if rejected || upper * Self.slack <= threshold { continue }
            let score = total(scores, matched)
            collector.evaluated += 1
            let key = keyBase | UInt64(candidate)
            guard collector.admits(score, key: key), !isExcluded(candidate) else { continue }
            collector.collect(score: score, key: key)
        }
    }
}

extension SegmentSearch {
    /// Insertion sort of clause numbers by bound: a handful of clauses, sorted once per window.
    @inline(__always)
    static func sort(_ order: inout [Int], by bounds: [Float]) {
        for i in 1..<max(1, order.count) {
            let item = order[i]
            var j = i
            while j > 0, bounds[order[j - 1]] > bounds[item] {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = item
        }
    }
}

/// Any scorer behind one concrete type, so the generic search loop serves mixed clauses too.
final class ScorerBox: Scorer {
    let base: any Scorer
    init(_ base: any Scorer) { self.base = base }
    var document: UInt32 { base.document }
    var maxScore: Float { base.maxScore }
    func advance(to target: UInt32) { base.advance(to: target) }
    func score() -> Float { base.score() }
    func boundaryAfter(_ target: UInt32) -> UInt32 { base.boundaryAfter(target) }
    func bound(from target: UInt32, upTo last: UInt32) -> Float { base.bound(from: target, upTo: last) }
    func explain(into parts: inout [TermContribution]) { base.explain(into: &parts) }
}

/// What a document must satisfy besides the query's clauses: not deleted, published inside
/// the day range.
struct DocumentFilter {
    var deleted: DeletionSet?
    var days: UnsafeMutablePointer<Int32>?
    var dayRange: ClosedRange<Int32>?

    @inline(__always)
    func accepts(_ document: UInt32) -> Bool {
        if let deleted, deleted.contains(document) { return false }
        if let dayRange, let days, !dayRange.contains(days[Int(document)]) { return false }
        return true
    }
}
