import Foundation
import PaperboyCore
import Synchronization
import VectorMath

/// all-MiniLM-L6-v2 as sentence-transformers runs it: WordPiece tokens (truncated at the
/// model's `max_seq_length`), the BERT encoder, mean pooling, L2 normalization.
///
/// A call spreads its texts over `threads` threads. Texts are sorted by length and packed
/// into groups of at most `groupTokens` tokens, so short texts share one matrix multiply
/// and no padding is ever computed.
public final class SentenceEmbedder: TextEmbedder {
    public let modelName: String
    public var dimension: Int { encoder.config.hiddenSize }
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
    public let threads: Int
    /// Tokens per group: big enough for efficient matrix multiplies, small enough that a
    /// thread's buffers (about 14 KiB per token) stay in L2/L3.
    public let groupTokens: Int
    private let workspaces = Mutex<[EncoderWorkspace]>([])

    public init(modelDirectory: URL, threads: Int = ProcessInfo.processInfo.activeProcessorCount, groupTokens: Int = 512) throws {
        tokenizer = try WordPieceTokenizer.load(modelDirectory: modelDirectory)
        encoder = try BertEncoder(modelDirectory: modelDirectory)
        guard tokenizer.maxLength <= encoder.config.maxPositions else {
            throw EncoderError(path: modelDirectory.path, message: "max_seq_length \(tokenizer.maxLength) exceeds the model's \(encoder.config.maxPositions) positions")
        }
        // A tokenizer.json from another model could give ids past the embedding table.
        guard Int(tokenizer.largestID) < encoder.config.vocabularySize else {
            throw EncoderError(path: modelDirectory.appendingPathComponent("tokenizer.json").path,
                               message: "token id \(tokenizer.largestID) has no row in the model's \(encoder.config.vocabularySize)-token embedding table")
        }
        modelName = "all-MiniLM-L6-v2"
        self.threads = max(1, threads)
        self.groupTokens = max(groupTokens, tokenizer.maxLength)
    }

    public func embed(_ texts: [String]) throws -> [[Float]] {
        embed(texts, progress: nil)
    }

    /// Embeds `texts`; `progress` hears how many are done so far (from any thread).
    public func embed(_ texts: [String], progress: (@Sendable (Int) -> Void)?) -> [[Float]] {
        embed(tokenized: texts.map { tokenizer.encode($0) }, progress: progress)
    }

    /// Embeds texts already turned into token ids by `tokenizer`.
    public func embed(tokenized sequences: [[Int32]], progress: (@Sendable (Int) -> Void)? = nil) -> [[Float]] {
        let h = dimension
        let groups = Self.groups(lengths: sequences.map(\.count), capacity: groupTokens)
        let output = SharedBuffer(count: sequences.count * h)
        defer { output.deallocate() }
        let nextGroup = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let workers = min(threads, groups.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let workspace = takeWorkspace()
            defer { returnWorkspace(workspace) }
            let vectors = UnsafeMutablePointer<Float>.allocate(capacity: groupTokens * h)
            defer { vectors.deallocate() }
            while true {
                let g = nextGroup.wrappingAdd(1, ordering: .relaxed).oldValue
                guard g < groups.count else { break }
                let members = groups[g]
                encoder.encode(ArraySlice(members.map { sequences[$0] }), workspace: workspace, output: vectors)
                for (slot, index) in members.enumerated() {
                    (output.pointer + index * h).update(from: vectors + slot * h, count: h)
                }
                let total = done.wrappingAdd(members.count, ordering: .relaxed).newValue
                progress?(total)
            }
        }
        return (0..<sequences.count).map { Array(UnsafeBufferPointer(start: output.pointer + $0 * h, count: h)) }
    }

    /// Indices of the sequences, longest first, cut into groups of at most `capacity`
    /// tokens.
    static func groups(lengths: [Int], capacity: Int) -> [[Int]] {
        let order = lengths.indices.sorted { lengths[$0] > lengths[$1] }
        var groups: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for index in order {
            if tokens + lengths[index] > capacity, !current.isEmpty {
                groups.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += lengths[index]
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    private func takeWorkspace() -> EncoderWorkspace {
        workspaces.withLock { $0.popLast() }
            ?? EncoderWorkspace(config: encoder.config, capacity: groupTokens, maxLength: tokenizer.maxLength)
    }

    private func returnWorkspace(_ workspace: EncoderWorkspace) {
        workspaces.withLock { $0.append(workspace) }
    }
}

/// Floats written by several threads at disjoint offsets.
private struct SharedBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(count: Int) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }
    func deallocate() { pointer.deallocate() }
}
