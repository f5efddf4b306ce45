import Foundation
import PaperboyCore

/// Paperboy's keyword index: BM25 over title, abstract, authors and categories, built
/// from the store and kept current as papers arrive.
///
/// A value: searching works on the snapshot it holds, while `add` and `remove` produce the
/// next one (segments are shared, never copied). New papers go into a new segment; a
/// paper that changes is deleted from its old segment and added again; small segments are
/// merged as they pile up. Scores use statistics summed over all segments, deleted
/// documents included until their segment is merged — as Lucene does — so pruned and
/// exhaustive search agree exactly, and a fresh rebuild may differ in the last digits.
public struct KeywordIndex: Sendable {
    public var parameters: BM25Parameters
    /// The store generation the index reflects.
    public var generation: Int64
    /// The identity of the store the index was built from (`PaperStore.identity()`).
    public var storeIdentity: String = ""
    private(set) var segments: [Segment]
    private(set) var deletions: [DeletionSet]

    public init(parameters: BM25Parameters = BM25Parameters(), generation: Int64 = 0) {
        self.parameters = parameters
        self.generation = generation
        self.segments = []
        self.deletions = []
    }

    init(parameters: BM25Parameters, generation: Int64, segments: [Segment], deletions: [DeletionSet]) {
        precondition(segments.count == deletions.count, "one deletion set per segment")
        self.parameters = parameters
        self.generation = generation
        self.segments = segments
        self.deletions = deletions
    }

    /// Papers searchable now.
    public var documentCount: Int {
        zip(segments, deletions).reduce(0) { $0 + $1.0.documentCount - $1.1.count }
    }

    public var segmentCount: Int { segments.count }

    /// Bytes the index takes in memory.
    public var byteCount: Int {
        segments.reduce(0) { $0 + $1.byteCount } + deletions.reduce(0) { $0 + $1.words.count * 8 }
    }

    /// An index of `documents` in one segment (`build(from:)` builds from a store on all cores).
    public static func build(_ documents: [IndexDocument], parameters: BM25Parameters = BM25Parameters(),
                             generation: Int64 = 0) -> KeywordIndex {
        var index = KeywordIndex(parameters: parameters, generation: generation)
        index.add(documents)
        return index
    }

    /// Makes `documents` searchable, replacing any earlier version of the same papers.
    public mutating func add(_ documents: [IndexDocument]) {
        guard !documents.isEmpty else { return }
        remove(ids: documents.map(\.id))
        var builder = SegmentBuilder()
        // Within one batch the last version of a paper wins.
        var last: [String: Int] = [:]
        for (place, document) in documents.enumerated() { last[document.id] = place }
        for (place, document) in documents.enumerated() where last[document.id] == place {
            builder.add(document)
        }
        append(builder.finish())
        mergeSmallSegments()
    }

    /// Segments beyond which the smallest are merged: each segment costs every query a
    /// dictionary lookup per term, so many small ones slow search down.
    static let segmentLimit = 8

    /// Merges the smallest segments into one when there are more than `segmentLimit`.
    mutating func mergeSmallSegments() {
        guard segments.count > Self.segmentLimit else { return }
        let bySize = segments.indices.sorted { segments[$0].documentCount < segments[$1].documentCount }
        merge(Set(bySize.prefix(segments.count - Self.segmentLimit / 2)))
    }

    /// Merges every segment into one, dropping deleted documents for good.
    public mutating func optimize() {
        if segments.count > 1 || deletions.contains(where: { $0.count > 0 }) { merge(Set(segments.indices)) }
    }

    private mutating func merge(_ chosen: Set<Int>) {
        let ordered = chosen.sorted()
        let merged = SegmentMerger.merge(ordered.map { (segments[$0], deletions[$0]) })
        let kept = segments.indices.filter { !chosen.contains($0) }
        segments = kept.map { segments[$0] }
        deletions = kept.map { deletions[$0] }
        append(merged)
    }

    /// Adds a segment built elsewhere (in parallel, or loaded from a file).
    mutating func append(_ segment: Segment) {
        guard segment.documentCount > 0 else { return }
        segments.append(segment)
        deletions.append(DeletionSet(documentCount: segment.documentCount))
    }

    /// Makes papers unsearchable; ids the index does not hold are ignored.
    public mutating func remove(ids: some Sequence<String>) {
        for id in ids {
            for (ordinal, segment) in segments.enumerated() {
                if let document = segment.document(of: id), !deletions[ordinal].contains(document) {
                    deletions[ordinal].insert(document)
                }
            }
        }
    }

    /// Whether the index holds a live document for paper `id`.
    public func contains(id: String) -> Bool {
        for (ordinal, segment) in segments.enumerated() {
            if let document = segment.document(of: id), !deletions[ordinal].contains(document) { return true }
        }
        return false
    }

    /// Statistics of each field over all segments.
    func statistics() -> [FieldStatistics] {
        var statistics = [FieldStatistics](repeating: FieldStatistics(), count: SearchField.allCases.count)
        for segment in segments {
            for field in SearchField.allCases {
                statistics[field.storageOrdinal].documentCount += segment.documentCount
                statistics[field.storageOrdinal].totalLength += segment.field(field).totalLength
            }
        }
        return statistics
    }

    /// Documents holding `term` in `field`, over all segments.
    func documentFrequency(of term: String, in field: SearchField) -> Int {
        segments.reduce(0) { total, segment in
            let postings = segment.field(field)
            return total + (postings.dictionary.ordinal(of: term).map { Int(postings.documentFrequency[$0]) } ?? 0)
        }
    }
}
