import Foundation

/// Builds one `Segment` from documents added in order.
struct SegmentBuilder {
    private var inverters = SearchField.allCases.map { FieldInverter(hasPositions: $0.keepsPositions) }
    private var paperIDs: [String] = []
    private var days: [Int32] = []

    init() {}

    var documentCount: Int { days.count }

    /// Adds one analyzed document.
    mutating func add(_ document: IndexDocument) {
        paperIDs.append(document.id)
        days.append(document.day)
        for field in SearchField.allCases {
            let tokens = document.fields[field.storageOrdinal]
            inverters[field.storageOrdinal].add(terms: tokens.terms, positions: tokens.positions, length: tokens.length)
        }
    }

    func finish() -> Segment {
        let order = paperIDs.indices.sorted { paperIDs[$0].utf8.lexicographicallyPrecedes(paperIDs[$1].utf8) }
        return Segment(
            fields: inverters.map { $0.finish() },
            paperIDs: StringColumn(paperIDs),
            days: Column(days),
            documentsByID: Column(order.map { UInt32($0) }))
    }
}
