import Foundation

/// An immutable part of the keyword index: the postings of each field for a run of
/// documents, and per document its paper id and publication day.
///
/// The index grows by adding segments (new papers become searchable without a rebuild) and
/// forgets documents through deletion marks kept beside the segments, as Lucene and tantivy
/// do; a segment never changes once built.
final class Segment: Sendable {
    /// Postings per field, in `SearchField.allCases` order.
    let fields: [FieldPostings]
    /// Paper id of each document.
    let paperIDs: StringColumn
    /// Publication day of each document (days since 1970-01-01 UTC), for date filters.
    let days: Column<Int32>
    /// Documents ordered by paper id, to find a paper's document by binary search.
    let documentsByID: Column<UInt32>

    init(fields: [FieldPostings], paperIDs: StringColumn, days: Column<Int32>, documentsByID: Column<UInt32>) {
        precondition(fields.count == SearchField.allCases.count, "a segment has postings for every field")
        self.fields = fields
        self.paperIDs = paperIDs
        self.days = days
        self.documentsByID = documentsByID
    }

    var documentCount: Int { days.count }

    @inline(__always)
    func field(_ field: SearchField) -> FieldPostings { fields[field.storageOrdinal] }

    /// The document holding paper `id`, if this segment has one.
    func document(of id: String) -> UInt32? {
        var key = id
        return key.withUTF8 { key -> UInt32? in
            var low = 0, high = documentsByID.count
            while low < high {
                let middle = (low + high) / 2
                let candidate = paperIDs.utf8(Int(documentsByID[middle]))
                if candidate.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
            }
            guard low < documentsByID.count else { return nil }
            let document = documentsByID[low]
            return paperIDs.utf8(Int(document)).elementsEqual(key) ? document : nil
        }
    }

    /// Bytes the segment takes in memory.
    var byteCount: Int {
        fields.reduce(0) { $0 + $1.byteCount } + paperIDs.byteCount + days.byteCount + documentsByID.byteCount
    }
}

extension SearchField {
    /// The place of the field's postings inside a segment and in the index file.
    var storageOrdinal: Int {
        switch self {
        case .title: 0
        case .abstract: 1
        case .authors: 2
        case .categories: 3
        }
    }

    /// Whether the field keeps positions (for phrases); categories are single keywords.
    var keepsPositions: Bool { self != .categories }
}
