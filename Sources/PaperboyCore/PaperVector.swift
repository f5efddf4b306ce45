/// A paper's embedding under one model, as the store keeps it so a restart never embeds the
/// same text twice.
///
/// `textHash` names the exact text that was embedded: the store refuses a vector whose text
/// no longer is the paper's, so a vector computed before a title or abstract changed is never
/// taken for current.
public struct PaperVector: Sendable, Hashable {
    public var id: PaperID
    /// `Paper.embeddingTextHash` of the text the vector was computed from.
    public var textHash: String
    public var vector: [Float]

    public init(id: PaperID, textHash: String, vector: [Float]) {
        self.id = id
        self.textHash = textHash
        self.vector = vector
    }

    /// The vector of `paper`'s current `embeddingText`.
    public init(paper: Paper, vector: [Float]) {
        self.init(id: paper.id, textHash: paper.embeddingTextHash, vector: vector)
    }

    /// Why this vector cannot be stored (empty, or holding NaN or infinity), or nil.
    public var validationProblem: String? {
        if vector.isEmpty { return "the vector of \(id) is empty" }
        if let index = vector.firstIndex(where: { !$0.isFinite }) {
            return "the vector of \(id) holds \(vector[index]) at \(index)"
        }
        return nil
    }
}

extension Paper {
    /// Lowercase hex SHA-256 of `embeddingText`: equal hashes mean a stored vector still
    /// describes this paper.
    public var embeddingTextHash: String {
        SHA256.hex(Array(embeddingText.utf8))
    }
}

extension PaperVector {
    /// The length every vector of a `saveVectors` batch shares. Throws (`.invalidInput`), so
    /// the store writes nothing, when the model has no name, a vector is invalid, or the
    /// batch mixes lengths.
    public static func batchDimension(_ vectors: [PaperVector], model: String) throws -> Int {
        guard !model.isEmpty else { throw PaperboyError(.invalidInput, "vectors need a model name") }
        let dimension = vectors.first?.vector.count ?? 0
        for vector in vectors {
            if let problem = vector.validationProblem { throw PaperboyError(.invalidInput, problem) }
            guard vector.vector.count == dimension else {
                throw PaperboyError(.invalidInput, """
                    the vector of \(vector.id) has \(vector.vector.count) dimensions, the batch's first has \(dimension)
                    """)
            }
        }
        return dimension
    }
}

/// Vectors saved after a sequence number, and the number to go on from
/// (`PaperStore.vectorsSaved(model:since:limit:)`).
public struct SavedVectors: Sendable, Equatable {
    public var vectors: [PaperVector]
    public var sequence: Int64

    public init(vectors: [PaperVector], sequence: Int64) {
        self.vectors = vectors
        self.sequence = sequence
    }
}
