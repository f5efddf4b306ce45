/// Reading a segment back, with the structural checks that keep a damaged (but
/// checksum-passing) file from sending a cursor outside its columns.
extension ColumnReader {
    mutating func readSegment() throws -> (Segment, DeletionSet) {
        let idBytes: Column<UInt8> = try readColumn()
        let idOffsets: Column<UInt32> = try readColumn()
        let days: Column<Int32> = try readColumn()
        let documentsByID: Column<UInt32> = try readColumn()
        let deletionWords: Column<UInt64> = try readColumn()
        let documentCount = days.count
        try check(idOffsets.count == documentCount + 1 && offsetsAreValid(idOffsets, within: idBytes.count),
                  "paper ids do not match the document count")
        try check(documentsByID.count == documentCount && documentsByID.buffer.allSatisfy { Int($0) < documentCount },
                  "the id order refers to documents the segment does not have")
        try check(deletionWords.count == (documentCount + 63) / 64, "the deletion marks do not match the document count")
        var fields: [FieldPostings] = []
        for _ in SearchField.allCases {
            fields.append(try readField(documentCount: documentCount))
        }
        let segment = Segment(fields: fields, paperIDs: StringColumn(bytes: idBytes, offsets: idOffsets),
                              days: days, documentsByID: documentsByID)
        return (segment, DeletionSet(words: Array(deletionWords.buffer)))
    }

    private mutating func readField(documentCount: Int) throws -> FieldPostings {
        let hasPositions: UInt8 = try read()
        let termBytes: Column<UInt8> = try readColumn()
        let termOffsets: Column<UInt32> = try readColumn()
        let documentFrequency: Column<UInt32> = try readColumn()
        let firstBlock: Column<UInt32> = try readColumn()
        let blockLastDocument: Column<UInt32> = try readColumn()
        let blockOffset: Column<UInt32> = try readColumn()
        let blockPositionsOffset: Column<UInt32> = try readColumn()
        let blockMaxFrequency: Column<UInt32> = try readColumn()
        let blockMinLength: Column<UInt32> = try readColumn()
        let postings: Column<UInt8> = try readColumn(padding: BitPacking.padding)
        let positions: Column<UInt8> = try readColumn(padding: BitPacking.padding)
        let lengths: Column<UInt16> = try readColumn()

        let terms = documentFrequency.count
        let blocks = blockLastDocument.count
        try check(termOffsets.count == terms + 1 && offsetsAreValid(termOffsets, within: termBytes.count),
                  "the term dictionary does not match its postings")
        try check(firstBlock.count == terms + 1 && firstBlock[terms] == UInt32(blocks)
                  && firstBlock.buffer.indices.dropFirst().allSatisfy { firstBlock[$0 - 1] <= firstBlock[$0] },
                  "the term block table is inconsistent")
        try check([blockOffset.count, blockPositionsOffset.count, blockMaxFrequency.count, blockMinLength.count]
                  .allSatisfy { $0 == blocks }, "the block tables differ in length")
        try check(lengths.count == documentCount, "field lengths do not match the document count")
        try check(blockLastDocument.buffer.allSatisfy { Int($0) < documentCount }, "a block refers to a missing document")
        try check(blockPositionsOffset.buffer.indices.dropFirst().allSatisfy { blockPositionsOffset[$0 - 1] <= blockPositionsOffset[$0] },
                  "the blocks' positions are out of order")
        let decoded = UnsafeMutablePointer<UInt32>.allocate(capacity: FieldPostings.blockSize)
        defer { decoded.deallocate() }
        for term in 0..<terms {
            let frequency = Int(documentFrequency[term])
            let first = Int(firstBlock[term])
            let expected = (frequency + FieldPostings.blockSize - 1) / FieldPostings.blockSize
            try check(Int(firstBlock[term + 1]) - first == expected && expected > 0, "term \(term) has the wrong number of blocks")
            for block in first..<(first + expected) {
                let count = min(FieldPostings.blockSize, frequency - (block - first) * FieldPostings.blockSize)
                let start = Int(blockOffset[block])
                try check(start + 2 <= postings.count, "a block starts past the postings")
                let widths = postings.base + start
                try check(widths[0] <= 32 && widths[1] <= 32, "a block has an impossible bit width")
                let size = 2 + BitPacking.byteCount(count: count, width: Int(widths[0]))
                    + BitPacking.byteCount(count: count, width: Int(widths[1]))
                try check(start + size <= postings.count, "a block runs past the postings")
                try check(Int(blockPositionsOffset[block]) <= positions.count, "a block's positions start past the positions")
                let previous = block == first ? 0 : blockLastDocument[block - 1]
                try checkDocuments(of: block, widths, count: count, after: previous, last: blockLastDocument[block], decoded)
            }
        }
        return FieldPostings(
            dictionary: TermDictionary(terms: StringColumn(bytes: termBytes, offsets: termOffsets)),
            documentFrequency: documentFrequency, firstBlock: firstBlock, blockLastDocument: blockLastDocument,
            blockOffset: blockOffset, blockPositionsOffset: blockPositionsOffset,
            blockMaxFrequency: blockMaxFrequency, blockMinLength: blockMinLength,
            postings: postings, positions: positions, lengths: lengths, hasPositions: hasPositions != 0)
    }

    /// The block's gaps, added up from the previous block's last document, must end at the
    /// block's own last document: then every document it decodes to lies below it, inside the
    /// field's lengths, which the scorer reads unchecked.
    private func checkDocuments(of block: Int, _ bytes: UnsafePointer<UInt8>, count: Int, after previous: UInt32, last: UInt32,
                                _ decoded: UnsafeMutablePointer<UInt32>) throws {
        BitPacking.unpack(bytes + 2, count: count, width: Int(bytes[0]), into: decoded)
        var document = UInt64(previous)
        for i in 0..<count { document += UInt64(decoded[i]) }
        try check(document == UInt64(last), "block \(block) decodes to documents past its last one")
    }

    private func check(_ condition: Bool, _ message: String) throws {
        if !condition { throw SearchIndexError(.corrupt, path: pathForMessages, "the index file is damaged: \(message)") }
    }

    private func offsetsAreValid(_ offsets: Column<UInt32>, within count: Int) -> Bool {
        guard offsets.count > 0, offsets[0] == 0, Int(offsets[offsets.count - 1]) == count else { return false }
        for i in 1..<offsets.count where offsets[i - 1] > offsets[i] { return false }
        return true
    }
}
