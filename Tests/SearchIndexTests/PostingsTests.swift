import Testing
@testable import SearchIndex

/// The block codec gives back exactly what was written, through every way a cursor moves.
@Suite struct PostingsTests {
    @Test(arguments: Array(0...32))
    func bitPackingRoundTripsEveryWidth(width: Int) {
        var random = CorpusRandom(seed: UInt64(width) + 1)
        let limit: UInt64 = width == 0 ? 0 : (1 << UInt64(width)) - 1
        let values = (0..<FieldPostings.blockSize).map { _ in UInt32(UInt64.random(in: 0...limit, using: &random)) }
        var bytes: [UInt8] = []
        values.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &bytes) }
        #expect(bytes.count == BitPacking.byteCount(count: values.count, width: width))
        bytes += [UInt8](repeating: 0, count: BitPacking.padding)
        var decoded = [UInt32](repeating: 9, count: values.count)
        bytes.withUnsafeBufferPointer { source in
            decoded.withUnsafeMutableBufferPointer { BitPacking.unpack(source.baseAddress!, count: values.count, width: width, into: $0.baseAddress!) }
        }
        #expect(decoded == values)
    }

    /// A term's postings: documents, frequencies and positions, written then read back.
    @Test func cursorReadsBackDocumentsFrequenciesAndPositionsAcrossBlocks() {
        var random = CorpusRandom(seed: 4)
        let documentCount = 5_000
        var expected: [(document: UInt32, positions: [UInt32])] = []
        for document in 0..<documentCount where Int.random(in: 0..<3, using: &random) == 0 {
            var positions = Set<UInt32>()
            for _ in 0..<Int.random(in: 1...6, using: &random) { positions.insert(UInt32.random(in: 0..<400, using: &random)) }
            expected.append((UInt32(document), positions.sorted()))
        }
        var writer = PostingsWriter(hasPositions: true, lengths: [UInt16](repeating: 300, count: documentCount))
        writer.beginTerm()
        for posting in expected {
            var previous: UInt32 = 0
            for position in posting.positions {
                writer.addPosition(position - previous)
                previous = position
            }
            writer.addPosting(document: posting.document, frequency: UInt32(posting.positions.count))
        }
        writer.endTerm()
        let field = writer.finish(dictionary: TermDictionary(terms: StringColumn(["term"])))
        #expect(field.firstBlock[1] == UInt32((expected.count + 127) / 128))

        // Walking every posting with next().
        let cursor = PostingCursor(field: field, ordinal: 0)
        var positions: [UInt32] = []
        for posting in expected {
            #expect(cursor.document == posting.document)
            #expect(cursor.frequency == UInt32(posting.positions.count))
            cursor.positions(into: &positions)
            #expect(positions == posting.positions)
            cursor.next()
        }
        #expect(cursor.document == PostingCursor.exhausted)

        // Skipping with advance(to:) to arbitrary targets, reading positions only sometimes.
        let skipper = PostingCursor(field: field, ordinal: 0)
        var target: UInt32 = 0
        while target < UInt32(documentCount) {
            skipper.advance(to: target)
            let wanted = expected.first { $0.document >= target }
            #expect(skipper.document == (wanted?.document ?? PostingCursor.exhausted))
            if let wanted, target % 3 == 0 {
                skipper.positions(into: &positions)
                #expect(positions == wanted.positions)
            }
            target += UInt32.random(in: 1...300, using: &random)
        }
    }
}
