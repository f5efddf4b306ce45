/// Merges segments into one, dropping deleted documents: how the index keeps few segments
/// as small incremental additions pile up, and how deletions finally free their space.
/// Works on the postings (decode, renumber, re-encode), never re-analyzing text.
enum SegmentMerger {
    static func merge(_ parts: [(segment: Segment, deletions: DeletionSet)]) -> Segment {
        // New document numbers: live documents in segment order.
        var remaps: [[UInt32]] = []
        var paperIDs: [String] = []
        var days: [Int32] = []
        for (segment, deletions) in parts {
            var remap = [UInt32](repeating: .max, count: segment.documentCount)
            for document in 0..<segment.documentCount where !deletions.contains(UInt32(document)) {
                remap[document] = UInt32(days.count)
                paperIDs.append(segment.paperIDs[document])
                days.append(segment.days[document])
            }
            remaps.append(remap)
        }
        let fields = SearchField.allCases.map { field in
            mergeField(field, parts.map { $0.segment.field(field) }, remaps: remaps, documentCount: days.count)
        }
        let order = paperIDs.indices.sorted { paperIDs[$0].utf8.lexicographicallyPrecedes(paperIDs[$1].utf8) }
        return Segment(fields: fields, paperIDs: StringColumn(paperIDs), days: Column(days),
                       documentsByID: Column(order.map { UInt32($0) }))
    }

    private static func mergeField(_ field: SearchField, _ inputs: [FieldPostings], remaps: [[UInt32]], documentCount: Int) -> FieldPostings {
        var lengths = [UInt16](repeating: 0, count: documentCount)
        for (input, remap) in zip(inputs, remaps) {
            for (old, new) in remap.enumerated() where new != .max { lengths[Int(new)] = input.lengths[old] }
        }
        var allTerms = Set<String>()
        for input in inputs {
            for ordinal in 0..<input.termCount { allTerms.insert(input.dictionary[ordinal]) }
        }
        let terms = allTerms.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var writer = PostingsWriter(hasPositions: field.keepsPositions, lengths: lengths)
        var written: [String] = []
        var positions: [UInt32] = []
        var postings: [(document: UInt32, frequency: UInt32, positions: [UInt32])] = []
        for term in terms {
            postings.removeAll(keepingCapacity: true)
            for (input, remap) in zip(inputs, remaps) {
                guard let ordinal = input.dictionary.ordinal(of: term) else { continue }
                let cursor = PostingCursor(field: input, ordinal: ordinal)
                while cursor.document != PostingCursor.exhausted {
                    let new = remap[Int(cursor.document)]
                    if new != .max {
                        cursor.positions(into: &positions)
                        postings.append((new, cursor.frequency, positions))
                    }
                    cursor.next()
                }
            }
            guard !postings.isEmpty else { continue }
            writer.beginTerm()
            for posting in postings {
                var previous: UInt32 = 0
                for position in posting.positions {
                    writer.addPosition(position &- previous)
                    previous = position
                }
                writer.addPosting(document: posting.document, frequency: posting.frequency)
            }
            writer.endTerm()
            written.append(term)
        }
        return writer.finish(dictionary: TermDictionary(terms: StringColumn(written)))
    }
}
