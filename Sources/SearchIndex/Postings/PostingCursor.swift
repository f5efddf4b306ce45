/// Walks one term's postings in one field of a segment, block by block: documents in
/// increasing order, skipping whole blocks by their last document without decoding them,
/// decoding frequencies and positions only when asked.
///
/// The cursor keeps raw pointers into the field's columns (kept alive by `field`), so the
/// hot loops read memory directly instead of going through reference-counted columns.
final class PostingCursor {
    /// The document past every real one: the cursor is exhausted.
    static let exhausted = UInt32.max

    let field: FieldPostings
    let documentFrequency: Int
    private let startBlock: Int
    let endBlock: Int
    private(set) var block: Int
    private(set) var document: UInt32 = 0
    private var index = 0
    private var count = 0
    private var frequenciesDecoded = false
    private let documents = UnsafeMutablePointer<UInt32>.allocate(capacity: FieldPostings.blockSize)
    private let frequencies = UnsafeMutablePointer<UInt32>.allocate(capacity: FieldPostings.blockSize)
    /// The block `shallowBlock(holding:)` reached; never behind `block`.
    private var shallow = 0
    /// Where the positions of document `positionsIndex` of this block start.
    private var positionsIndex = 0
    private var positionsOffset = 0

    let lastDocuments: UnsafePointer<UInt32>
    let maxFrequencies: UnsafePointer<UInt32>
    let minLengths: UnsafePointer<UInt32>
    private let offsets: UnsafePointer<UInt32>
    private let positionOffsets: UnsafePointer<UInt32>
    private let postings: UnsafePointer<UInt8>
    private let positionBytes: UnsafePointer<UInt8>

    init(field: FieldPostings, ordinal: Int) {
        self.field = field
        self.documentFrequency = Int(field.documentFrequency[ordinal])
        self.startBlock = Int(field.firstBlock[ordinal])
        self.block = startBlock
        self.endBlock = Int(field.firstBlock[ordinal + 1])
        lastDocuments = UnsafePointer(field.blockLastDocument.base)
        maxFrequencies = UnsafePointer(field.blockMaxFrequency.base)
        minLengths = UnsafePointer(field.blockMinLength.base)
        offsets = UnsafePointer(field.blockOffset.base)
        positionOffsets = UnsafePointer(field.blockPositionsOffset.base)
        postings = UnsafePointer(field.postings.base)
        positionBytes = UnsafePointer(field.positions.base)
        load(block: block)
    }

    deinit {
        documents.deallocate()
        frequencies.deallocate()
    }

    /// Moves to the next document.
    @inline(__always)
    func next() {
        index += 1
        if index < count {
            document = documents[index]
        } else if block + 1 < endBlock {
            load(block: block + 1)
        } else {
            document = Self.exhausted
        }
    }

    /// Moves to the first document at or after `target`.
    @inline(__always)
    func advance(to target: UInt32) {
        guard document < target else { return }
        if target > lastDocuments[block] {
            guard let next = shallowBlock(holding: target) else {
                document = Self.exhausted
                return
            }
            load(block: next)
        }
        while documents[index] < target { index += 1 }
        document = documents[index]
    }

    /// The first block at or after the current one whose last document is at or after
    /// `target`, found from the skip data alone; remembered, so repeated calls with growing
    /// targets walk the skip data once.
    @inline(__always)
    func shallowBlock(holding target: UInt32) -> Int? {
        if shallow < block { shallow = block }
        while shallow < endBlock, lastDocuments[shallow] < target { shallow += 1 }
        return shallow < endBlock ? shallow : nil
    }

    /// The last document of the block holding `target`: where the bounds of that block stop.
    @inline(__always)
    func boundaryAfter(_ target: UInt32) -> UInt32 {
        shallowBlock(holding: target).map { lastDocuments[$0] } ?? Self.exhausted
    }

    /// No document from `target` to `last` scores more under `weight` than this: the best
    /// of the blocks' bounds (largest frequency at the smallest length) over that stretch.
    @inline(__always)
    func bound(from target: UInt32, upTo last: UInt32, weight: BM25Weight) -> Float {
        guard var block = shallowBlock(holding: target) else { return 0 }
        var best: Float = 0
        while true {
            best = max(best, weight.score(frequency: maxFrequencies[block], length: minLengths[block]))
            if lastDocuments[block] >= last { break }
            block += 1
            if block >= endBlock { break }
        }
        return best
    }

    /// Frequency of the term in the current document.
    @inline(__always)
    var frequency: UInt32 {
        if !frequenciesDecoded { decodeFrequencies() }
        return frequencies[index]
    }

    /// Positions of the term in the current document, in increasing order.
    func positions(into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        guard field.hasPositions else { return }
        if !frequenciesDecoded { decodeFrequencies() }
        if positionsIndex > index {
            positionsIndex = 0
            positionsOffset = Int(positionOffsets[block])
        }
        // A file written wrong could hold varints that run on past the block's stretch of the
        // positions: reading stops at its end rather than outside the column (the loader checks
        // documents, not the far larger positions, to keep start-up fast).
        let end = block + 1 < field.blockPositionsOffset.count ? Int(positionOffsets[block + 1]) : field.positions.count
        while positionsIndex < index {
            for _ in 0..<frequencies[positionsIndex] where positionsOffset < end { _ = VarInt.read(positionBytes, at: &positionsOffset) }
            positionsIndex += 1
        }
        var offset = positionsOffset
        var position: UInt32 = 0
        for _ in 0..<frequencies[index] where offset < end {
            position &+= VarInt.read(positionBytes, at: &offset)
            out.append(position)
        }
    }

    private func load(block: Int) {
        self.block = block
        let bytes = postings + Int(offsets[block])
        count = min(FieldPostings.blockSize, documentFrequency - (block - startBlock) * FieldPostings.blockSize)
        BitPacking.unpack(bytes + 2, count: count, width: Int(bytes[0]), into: documents)
        var previous: UInt32 = block == startBlock ? 0 : lastDocuments[block - 1]
        for i in 0..<count {
            previous &+= documents[i]
            documents[i] = previous
        }
        index = 0
        document = documents[0]
        frequenciesDecoded = false
        positionsIndex = 0
        positionsOffset = Int(positionOffsets[block])
    }

    private func decodeFrequencies() {
        let bytes = postings + Int(offsets[block])
        let start = bytes + 2 + BitPacking.byteCount(count: count, width: Int(bytes[0]))
        BitPacking.unpack(start, count: count, width: Int(bytes[1]), into: frequencies)
        for i in 0..<count { frequencies[i] &+= 1 }
        frequenciesDecoded = true
    }
}
