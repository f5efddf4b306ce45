/// Turns texts into unit-length vectors whose dot product measures closeness of meaning.
/// The store keeps each paper's vector under the embedder's `modelName`, so a vector is
/// computed once per paper and model.
public protocol TextEmbedder: Sendable {
    /// Names the model and its version; vectors from different models never mix.
    var modelName: String { get }
    /// The length of every vector.
    var dimension: Int { get }
    /// One L2-normalized vector per text, in order.
    func embed(_ texts: [String]) throws -> [[Float]]
    /// `embed(_:)`, telling `progress` (from any thread) how many texts are done so far, so
    /// a long page can move a progress bar.
    func embed(_ texts: [String], progress: (@Sendable (Int) -> Void)?) throws -> [[Float]]
}

extension TextEmbedder {
    /// For an embedder that cannot tell: all the texts are done when it returns.
    public func embed(_ texts: [String], progress: (@Sendable (Int) -> Void)?) throws -> [[Float]] {
        let vectors = try embed(texts)
        progress?(texts.count)
        return vectors
    }
}

extension Paper {
    /// What an embedder reads for this paper, the same everywhere: the title, a blank line,
    /// the abstract (the WordPiece tokenizer treats the line break as a space).
    public var embeddingText: String {
        abstract.isEmpty ? title : title + "\n\n" + abstract
    }
}
