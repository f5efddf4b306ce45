/// Collects the tokens of one field for the documents of a segment being built, then turns
/// them into `FieldPostings`.
///
/// Adding a document only appends term ids to flat arrays; the inversion at the end is a
/// counting sort by term, which keeps each term's occurrences in document and position
/// order, so postings come out already sorted without a per-term growing list.
struct FieldInverter {
    let hasPositions: Bool
    private var termIDs: [String: UInt32] = [:]
    private var terms: [String] = []
    private var occurrenceTerms: [UInt32] = []
    private var occurrenceDocuments: [UInt32] = []
    private var occurrencePositions: [UInt32] = []
    private var lengths: [UInt16] = []

    init(hasPositions: Bool) {
        self.hasPositions = hasPositions
    }

    /// Adds the next document's terms (with their word positions) and its length in words.
    mutating func add(terms documentTerms: [String], positions: [UInt32], length: UInt32) {
        let document = UInt32(lengths.count)
        lengths.append(UInt16(clamping: length))
        for (i, term) in documentTerms.enumerated() {
            let id: UInt32
            if let known = termIDs[term] {
                id = known
            } else {
                id = UInt32(terms.count)
                termIDs[term] = id
                terms.append(term)
            }
            occurrenceTerms.append(id)
            occurrenceDocuments.append(document)
            if hasPositions { occurrencePositions.append(positions[i]) }
        }
    }

    /// Inverts what was added.
    func finish() -> FieldPostings {
        // Terms in byte order; `ordinal[id]` is the place of term `id`.
        let sortedIDs = terms.indices.sorted { terms[$0].utf8.lexicographicallyPrecedes(terms[$1].utf8) }
        var ordinal = [Int](repeating: 0, count: terms.count)
        for (place, id) in sortedIDs.enumerated() { ordinal[id] = place }

        // Counting sort of the occurrences by term ordinal, stable.
        var start = [Int](repeating: 0, count: terms.count + 1)
        for id in occurrenceTerms { start[ordinal[Int(id)] + 1] += 1 }
        for i in 0..<terms.count { start[i + 1] += start[i] }
        var order = [UInt32](repeating: 0, count: occurrenceTerms.count)
        var fill = start
        for (i, id) in occurrenceTerms.enumerated() {
            let place = ordinal[Int(id)]
            order[fill[place]] = UInt32(i)
            fill[place] += 1
        }

        var writer = PostingsWriter(hasPositions: hasPositions, lengths: lengths)
        for place in 0..<terms.count {
            writer.beginTerm()
            var k = start[place]
            let end = start[place + 1]
            while k < end {
                let document = occurrenceDocuments[Int(order[k])]
                var frequency: UInt32 = 0
                var previousPosition: UInt32 = 0
                while k < end, occurrenceDocuments[Int(order[k])] == document {
                    if hasPositions {
                        let position = occurrencePositions[Int(order[k])]
                        writer.addPosition(position &- previousPosition)
                        previousPosition = position
                    }
                    frequency += 1
                    k += 1
                }
                writer.addPosting(document: document, frequency: frequency)
            }
            writer.endTerm()
        }
        return writer.finish(dictionary: TermDictionary(terms: StringColumn(sortedIDs.map { terms[$0] })))
    }
}
