/// One result of a keyword search.
public struct KeywordHit: Sendable, Equatable {
    public var id: String
    public var score: Float
}

extension KeywordIndex {
    /// The best `limit` papers for `query`, best first (ties: earlier indexed first),
    /// published within `days` (days since 1970, inclusive) when given. `pruning: false`
    /// scores every matching document: the reference that pruned search must equal.
    public func search(_ query: KeywordQuery, limit: Int = 10, days: ClosedRange<Int32>? = nil,
                       pruning: Bool = true) -> [KeywordHit] {
        topDocuments(query, limit: limit, days: days, pruning: pruning).hits
    }

    /// The ids of every paper `query` matches within `days`, in index order: what a filter
    /// lets through, for searches ranked by something else (meaning, similarity).
    public func matchingIDs(_ query: KeywordQuery, days: ClosedRange<Int32>? = nil) -> [String] {
        collect(query, into: .everything(), days: days, pruning: false).hits.map(\.id)
    }

    /// The search, also telling how many documents were scored in full.
    func topDocuments(_ query: KeywordQuery, limit: Int, days: ClosedRange<Int32>?,
                      pruning: Bool) -> (hits: [KeywordHit], evaluated: Int) {
        collect(query, into: TopCollector(k: max(1, limit)), days: days, pruning: pruning)
    }

    private func collect(_ query: KeywordQuery, into collector: TopCollector, days: ClosedRange<Int32>?,
                         pruning: Bool) -> (hits: [KeywordHit], evaluated: Int) {
        var collector = collector
        let weights = QueryWeights(query: query, index: self)
        for (ordinal, segment) in segments.enumerated() {
            guard var plan = weights.plan(for: segment) else { continue }
            plan.filter = DocumentFilter(
                deleted: deletions[ordinal].count > 0 ? deletions[ordinal] : nil,
                days: segment.days.base, dayRange: days)
            plan.pruning = pruning
            plan.run(segmentOrdinal: ordinal, into: &collector)
        }
        let hits = collector.entries.map { entry in
            let segment = segments[Int(entry.key >> 32)]
            return KeywordHit(id: segment.paperIDs[Int(entry.key & 0xFFFF_FFFF)], score: entry.score)
        }
        return (hits, collector.evaluated)
    }

    /// Each matching term's share of paper `id`'s score for `query`, or nil when the paper
    /// does not match.
    public func explain(_ query: KeywordQuery, id: String) -> [TermContribution]? {
        let weights = QueryWeights(query: query, index: self)
        for (ordinal, segment) in segments.enumerated() {
            guard let document = segment.document(of: id), !deletions[ordinal].contains(document),
                  let plan = weights.plan(for: segment) else { continue }
            var parts: [TermContribution] = []
            var matchesRequired = true
            for clause in plan.filters {
                clause.advance(to: document)
                if clause.document != document { matchesRequired = false }
            }
            for clause in plan.required {
                clause.advance(to: document)
                if clause.document == document { clause.explain(into: &parts) } else { matchesRequired = false }
            }
            for clause in plan.optional {
                clause.advance(to: document)
                if clause.document == document { clause.explain(into: &parts) }
            }
            for clause in plan.excluded {
                clause.advance(to: document)
                if clause.document == document { return nil }
            }
            guard matchesRequired, !plan.required.isEmpty || !parts.isEmpty else { return nil }
            return parts
        }
        return nil
    }
}

/// The per-query part of scoring: the BM25 weight of every term and phrase, from statistics
/// over the whole index, so each segment only builds cursors.
struct QueryWeights {
    let query: KeywordQuery
    private let index: KeywordIndex
    private let statistics: [FieldStatistics]

    init(query: KeywordQuery, index: KeywordIndex) {
        self.query = query
        self.index = index
        self.statistics = index.statistics()
    }

    private func weight(idf: Float, field: SearchField, boost: Float) -> BM25Weight {
        BM25Weight(boost: boost, idf: idf, averageLength: statistics[field.storageOrdinal].averageLength,
                   parameters: index.parameters)
    }

    /// Idf of each term, computed once per query rather than once per segment.
    private let idfs = IDFCache()

    private func idf(_ term: String, _ field: SearchField) -> Float {
        let key = IDFCache.Key(term: term, field: field)
        if let known = idfs.values[key] { return known }
        let value = BM25Parameters.idf(documentFrequency: index.documentFrequency(of: term, in: field),
                                       documentCount: statistics[field.storageOrdinal].documentCount)
        idfs.values[key] = value
        return value
    }

    /// The clauses of the query for one segment, or nil when nothing in it can match.
    func plan(for segment: Segment) -> SegmentSearch? {
        switch query {
        case let .boolean(required, optional, excluded):
            var requiredScorers: [any Scorer] = []
            var filterScorers: [any Scorer] = []
            for clause in required {
                guard let scorer = scorer(clause, segment) else { return nil }
                if clause.isFilter { filterScorers.append(scorer) } else { requiredScorers.append(scorer) }
            }
            var optionalScorers = optional.flatMap { flattened($0) }.compactMap { scorer($0, segment) }
            if requiredScorers.isEmpty && optionalScorers.isEmpty {
                // Filters alone (or an empty query with filters) match every document they let through.
                guard !filterScorers.isEmpty || optional.isEmpty else { return nil }
                optionalScorers = [AllScorer(documentCount: segment.documentCount)]
            }
            return SegmentSearch(required: requiredScorers, optional: optionalScorers,
                                 excluded: excluded.compactMap { scorer($0, segment) },
                                 filters: filterScorers, filter: DocumentFilter())
        default:
            let scorers = flattened(query).compactMap { scorer($0, segment) }
            if scorers.isEmpty { return nil }
            return SegmentSearch(required: [], optional: scorers, excluded: [], filters: [], filter: DocumentFilter())
        }
    }

    /// A sum of alternatives as separate clauses, which lets pruning bound each on its own.
    private func flattened(_ query: KeywordQuery) -> [KeywordQuery] {
        if case let .anyOf(children) = query { return children.flatMap { flattened($0) } }
        return [query]
    }

    private func scorer(_ query: KeywordQuery, _ segment: Segment) -> (any Scorer)? {
        switch query {
        case let .term(term, field, boost):
            let postings = segment.field(field)
            guard let ordinal = postings.dictionary.ordinal(of: term) else { return nil }
            let termIDF = idf(term, field)
            return TermScorer(cursor: PostingCursor(field: postings, ordinal: ordinal),
                              weight: weight(idf: termIDF, field: field, boost: boost),
                              field: field, term: term, idf: termIDF, boost: boost)
        case let .filter(term, field):
            let postings = segment.field(field)
            guard let ordinal = postings.dictionary.ordinal(of: term) else { return nil }
            return TermScorer(cursor: PostingCursor(field: postings, ordinal: ordinal),
                              weight: weight(idf: 0, field: field, boost: 0),
                              field: field, term: term, idf: 0, boost: 0)
        case let .phrase(terms, field, boost):
            guard !terms.isEmpty else { return nil }
            if terms.count == 1 { return scorer(.term(terms[0], field: field, boost: boost), segment) }
            let postings = segment.field(field)
            guard postings.hasPositions else { return nil }
            var cursors: [PostingCursor] = []
            for term in terms {
                guard let ordinal = postings.dictionary.ordinal(of: term) else { return nil }
                cursors.append(PostingCursor(field: postings, ordinal: ordinal))
            }
            let phraseIDF = terms.reduce(Float(0)) { $0 + idf($1, field) }
            return PhraseScorer(cursors: cursors, offsets: terms.indices.map { UInt32($0) },
                                weight: weight(idf: phraseIDF, field: field, boost: boost),
                                field: field, text: terms.joined(separator: " "), idf: phraseIDF, boost: boost)
        case let .anyOf(children):
            let scorers = children.compactMap { scorer($0, segment) }
            if scorers.count <= 1 { return scorers.first }
            return BooleanScorer(required: [], optional: scorers, excluded: [])
        case let .boolean(required, optional, excluded):
            var requiredScorers: [any Scorer] = []
            for clause in required {
                guard let scorer = scorer(clause, segment) else { return nil }
                requiredScorers.append(scorer)
            }
            let optionalScorers = optional.compactMap { scorer($0, segment) }
            if requiredScorers.isEmpty && optionalScorers.isEmpty { return nil }
            return BooleanScorer(required: requiredScorers, optional: optionalScorers,
                                 excluded: excluded.compactMap { scorer($0, segment) })
        case .all:
            return AllScorer(documentCount: segment.documentCount)
        case .nothing:
            return nil
        }
    }
}

/// Idf values of one query's terms, filled as segments ask for them.
private final class IDFCache {
    struct Key: Hashable {
        var term: String
        var field: SearchField
    }
    var values: [Key: Float] = [:]
}
