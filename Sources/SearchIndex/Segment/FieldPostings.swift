/// The inverted index of one field in one segment: for each term, its documents in blocks
/// of `blockSize`, with per-block skip data, and the field's length in every document.
///
/// Block `k` of a term, at `blockOffset[k]` in `postings`, is one byte of doc-gap width,
/// one byte of frequency width, then the bit-packed gaps (from the previous block's last
/// document) and the bit-packed frequencies minus one. Each block records its last document
/// (to skip without decoding), its largest frequency and smallest field length (an upper
/// bound of any score inside it, for dynamic pruning), and where its positions start.
/// Positions, per document, are varint gaps, read only by phrase queries.
struct FieldPostings: Sendable {
    static let blockSize = 128

    let dictionary: TermDictionary
    /// Per term: how many documents hold it.
    let documentFrequency: Column<UInt32>
    /// Per term, plus one: the term's blocks are `firstBlock[t]..<firstBlock[t + 1]`.
    let firstBlock: Column<UInt32>
    let blockLastDocument: Column<UInt32>
    let blockOffset: Column<UInt32>
    let blockPositionsOffset: Column<UInt32>
    let blockMaxFrequency: Column<UInt32>
    let blockMinLength: Column<UInt32>
    /// Packed blocks, followed by `BitPacking.padding` zero bytes.
    let postings: Column<UInt8>
    /// Position gaps (empty for a field without positions).
    let positions: Column<UInt8>
    /// The field's length in words of every document of the segment, saturating at 65,535
    /// (no real title, abstract or author list comes near): two bytes a document keep
    /// these random reads, one per scored document, in cache.
    let lengths: Column<UInt16>
    let hasPositions: Bool

    /// Sum of `lengths`, for the average length BM25 normalizes by.
    let totalLength: UInt64

    init(dictionary: TermDictionary, documentFrequency: Column<UInt32>, firstBlock: Column<UInt32>,
         blockLastDocument: Column<UInt32>, blockOffset: Column<UInt32>, blockPositionsOffset: Column<UInt32>,
         blockMaxFrequency: Column<UInt32>, blockMinLength: Column<UInt32>, postings: Column<UInt8>,
         positions: Column<UInt8>, lengths: Column<UInt16>, hasPositions: Bool) {
        self.dictionary = dictionary
        self.documentFrequency = documentFrequency
        self.firstBlock = firstBlock
        self.blockLastDocument = blockLastDocument
        self.blockOffset = blockOffset
        self.blockPositionsOffset = blockPositionsOffset
        self.blockMaxFrequency = blockMaxFrequency
        self.blockMinLength = blockMinLength
        self.postings = postings
        self.positions = positions
        self.lengths = lengths
        self.hasPositions = hasPositions
        var sum: UInt64 = 0
        for length in lengths.buffer { sum &+= UInt64(length) }
        self.totalLength = sum
    }

    var termCount: Int { dictionary.count }

    /// Bytes this field takes in memory.
    var byteCount: Int {
        dictionary.terms.byteCount + documentFrequency.byteCount + firstBlock.byteCount
            + blockLastDocument.byteCount + blockOffset.byteCount + blockPositionsOffset.byteCount
            + blockMaxFrequency.byteCount + blockMinLength.byteCount + postings.byteCount
            + positions.byteCount + lengths.byteCount
    }
}
