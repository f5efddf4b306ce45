import Foundation
import PaperboyCore
import VectorIndex

/// The one way missing vectors are computed, for `paperboy embed` and for a running server:
/// a pass over the papers lacking a vector for the embedder's model, in ascending id order,
/// each page embedded, saved in the store in one transaction, then added to a vector index.
///
/// The pass keeps its place (`after`), so it can be spread over calls: the command runs it
/// to the end at once, the server a page at a time between its other work. A page whose
/// save fails is not passed: the next call reads it again.
public struct VectorBackfill: Sendable {
    /// Papers per page: long enough to keep every core busy, short enough that an
    /// interrupted run loses little (and a server's tick about 13 s on 2 cores).
    public static let pageSize = 256

    public let store: any PaperStore
    public let embedder: any TextEmbedder
    /// The last paper the pass has done: the next page starts after it (nil: at the first).
    public private(set) var after: PaperID?
    /// Set once a page came back short: every paper that lacked a vector when the pass read
    /// its part of the store has one now (papers stored since may not, if their ids sort
    /// before `after`).
    public private(set) var isFinished = false

    public init(store: any PaperStore, embedder: any TextEmbedder) {
        self.store = store
        self.embedder = embedder
    }

    /// Embeds the next papers lacking a vector, at most `limit` (nil: to the end of the
    /// pass), saving each page before adding it to `index`; returns how many it embedded.
    /// `progress` hears, from any thread, how many this call has embedded so far.
    @discardableResult
    public mutating func run(into index: inout VectorSearcher, limit: Int? = nil,
                             progress: (@Sendable (Int) -> Void)? = nil) async throws -> Int {
        var embedded = 0
        while !isFinished {
            let wanted = min(Self.pageSize, limit.map { $0 - embedded } ?? Self.pageSize)
            guard wanted > 0 else { break }
            let papers = try await store.papersNeedingVectors(model: embedder.modelName, after: after, limit: wanted)
            guard let last = papers.last else {
                isFinished = true
                break
            }
            let before = embedded
            let vectors = try await Self.embed(papers.map(\.embeddingText), with: embedder) { done in
                progress?(before + done)
            }
            let records = zip(papers, vectors).map { PaperVector(paper: $0, vector: $1) }
            _ = try await store.saveVectors(records, model: embedder.modelName)
            for record in records { try index.add(key: record.id.rawValue, vector: record.vector) }
            after = last.id
            embedded += papers.count
            isFinished = papers.count < wanted
        }
        return embedded
    }

    /// Embeds on a Dispatch thread: a page takes seconds of CPU, which would otherwise hold
    /// one of the few threads every task runs on (in a server, the ones answering requests).
    private static func embed(_ texts: [String], with embedder: any TextEmbedder,
                              progress: @escaping @Sendable (Int) -> Void) async throws -> [[Float]] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try embedder.embed(texts, progress: progress) })
            }
        }
    }
}
