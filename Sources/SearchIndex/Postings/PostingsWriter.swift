/// Encodes postings term by term into the block format `FieldPostings` describes.
struct PostingsWriter {
    let hasPositions: Bool
    let lengths: [UInt16]
    private var documentFrequency: [UInt32] = []
    private var firstBlock: [UInt32] = [0]
    private var blockLastDocument: [UInt32] = []
    private var blockOffset: [UInt32] = []
    private var blockPositionsOffset: [UInt32] = []
    private var blockMaxFrequency: [UInt32] = []
    private var blockMinLength: [UInt32] = []
    private var postings: [UInt8] = []
    private var positions: [UInt8] = []

    // The block being filled.
    private var documents: [UInt32] = []
    private var frequencies: [UInt32] = []
    private var pendingPositions: [UInt8] = []
    private var termDocuments: UInt32 = 0
    private var previousBlockLast: UInt32 = 0

    init(hasPositions: Bool, lengths: [UInt16]) {
        self.hasPositions = hasPositions
        self.lengths = lengths
        documents.reserveCapacity(FieldPostings.blockSize)
        frequencies.reserveCapacity(FieldPostings.blockSize)
    }

    mutating func beginTerm() {
        termDocuments = 0
        previousBlockLast = 0
    }

    /// Adds the gap from the previous position of the current document; call before
    /// `addPosting` for that document.
    mutating func addPosition(_ gap: UInt32) {
        VarInt.append(gap, to: &pendingPositions)
    }

    mutating func addPosting(document: UInt32, frequency: UInt32) {
        documents.append(document)
        frequencies.append(frequency)
        termDocuments += 1
        if documents.count == FieldPostings.blockSize { flushBlock() }
    }

    mutating func endTerm() {
        if !documents.isEmpty { flushBlock() }
        documentFrequency.append(termDocuments)
        firstBlock.append(UInt32(blockLastDocument.count))
    }

    private mutating func flushBlock() {
        precondition(postings.count < Int(UInt32.max) && positions.count < Int(UInt32.max),
                     "a segment's field holds at most 4 GiB of postings")
        blockOffset.append(UInt32(postings.count))
        blockPositionsOffset.append(UInt32(positions.count))
        blockLastDocument.append(documents[documents.count - 1])
        var maxFrequency: UInt32 = 0
        var minLength = UInt32.max
        var gaps = documents
        var previous = previousBlockLast
        for i in gaps.indices {
            gaps[i] = documents[i] &- previous
            previous = documents[i]
            maxFrequency = max(maxFrequency, frequencies[i])
            minLength = min(minLength, UInt32(lengths[Int(documents[i])]))
        }
        blockMaxFrequency.append(maxFrequency)
        blockMinLength.append(minLength)
        let stored = frequencies.map { $0 - 1 }
        gaps.withUnsafeBufferPointer { gapBuffer in
            stored.withUnsafeBufferPointer { frequencyBuffer in
                let gapWidth = BitPacking.width(of: gapBuffer)
                let frequencyWidth = BitPacking.width(of: frequencyBuffer)
                postings.append(UInt8(gapWidth))
                postings.append(UInt8(frequencyWidth))
                BitPacking.pack(gapBuffer, width: gapWidth, into: &postings)
                BitPacking.pack(frequencyBuffer, width: frequencyWidth, into: &postings)
            }
        }
        positions.append(contentsOf: pendingPositions)
        pendingPositions.removeAll(keepingCapacity: true)
        previousBlockLast = documents[documents.count - 1]
        documents.removeAll(keepingCapacity: true)
        frequencies.removeAll(keepingCapacity: true)
    }

    func finish(dictionary: TermDictionary) -> FieldPostings {
        FieldPostings(
            dictionary: dictionary,
            documentFrequency: Column(documentFrequency),
            firstBlock: Column(firstBlock),
            blockLastDocument: Column(blockLastDocument),
            blockOffset: Column(blockOffset),
            blockPositionsOffset: Column(blockPositionsOffset),
            blockMaxFrequency: Column(blockMaxFrequency),
            blockMinLength: Column(blockMinLength),
            postings: Column(postings, padding: BitPacking.padding),
            positions: Column(positions, padding: BitPacking.padding),
            lengths: Column(lengths),
            hasPositions: hasPositions)
    }
}
