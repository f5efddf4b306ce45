import Foundation
import PaperboyCore
import Testing

/// What every store does with embedding vectors: keeps them bit for bit, only while they
/// describe the paper's current text, under the paper's current id, and pages through them.
extension PaperStoreBehaviour {
    static let model = "all-MiniLM-L6-v2"

    /// Vectors come back bit for bit (signed zero, subnormals, extremes), replace the paper's
    /// older vector of the same model, stay apart per model, and never advance the generation.
    public static func vectorsRoundTripBitExactly(_ store: any PaperStore) async throws {
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        let generation = try await store.generation()
        let awkward: [Float] = [-0.0, 0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
                                -.greatestFiniteMagnitude, .pi, 1.0 / 3.0, .ulpOfOne, -1]
        let vectors = papers.enumerated().map { offset, paper in
            PaperVector(paper: paper, vector: awkward + [Float(offset)])
        }
        #expect(try await store.saveVectors(vectors, model: model) == 3)
        let stored = try await store.vectors(model: model, after: nil, limit: 10)
        #expect(stored.map(\.id) == papers.map(\.id))
        #expect(stored.map(bitPatterns) == vectors.map(bitPatterns))
        #expect(stored.map(\.textHash) == papers.map(\.embeddingTextHash))
        #expect(try await store.vectorCount(model: model) == 3)
        #expect(try await store.vectorCount(model: "another-model") == 0)
        #expect(try await store.vectors(model: "another-model", after: nil, limit: 10).isEmpty)

        let replacement = PaperVector(paper: papers[1], vector: [Float(7)] + awkward.reversed())
        #expect(try await store.saveVectors([replacement], model: model) == 1)
        let replaced = try await store.vectors(model: model, after: papers[0].id, limit: 1)
        #expect(replaced.map(bitPatterns) == [bitPatterns(replacement)])
        #expect(try await store.vectorCount(model: model) == 3)
        #expect(try await store.generation() == generation)
        #expect(try await store.papersChanged(since: generation, limit: 10).papers.isEmpty)
    }

    /// A paper needs a vector until one is saved for that model, and then no more.
    public static func paperNeedsVectorUntilSaved(_ store: any PaperStore) async throws {
        let papers = SamplePapers.generated(count: 5)
        _ = try await store.upsert(papers.shuffled())
        let sorted = papers.sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(try await store.papersNeedingVectors(model: model, limit: 10) == sorted)
        _ = try await store.saveVectors([sorted[0], sorted[3]].map { PaperVector(paper: $0, vector: [1, 0]) }, model: model)
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).map(\.id) == [sorted[1], sorted[2], sorted[4]].map(\.id))
        #expect(try await store.papersNeedingVectors(model: model, limit: 2).map(\.id) == [sorted[1], sorted[2]].map(\.id))
        #expect(try await store.papersNeedingVectors(model: model, after: sorted[2].id, limit: 10).map(\.id) == [sorted[4].id])
        #expect(try await store.papersNeedingVectors(model: "another-model", limit: 10).count == 5)
        _ = try await store.saveVectors([sorted[1], sorted[2], sorted[4]].map { PaperVector(paper: $0, vector: [0, 1]) }, model: model)
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).isEmpty)
    }

    /// A new title makes the vector stale: the paper needs one again, and a vector computed from
    /// the old text (an embedder that read the paper before the change) is not taken. A change
    /// that leaves the text alone keeps the vector.
    public static func textChangeMakesVectorStale(_ store: any PaperStore) async throws {
        let v1 = SamplePapers.arxiv("1706.03762", version: 1)
        _ = try await store.upsert([v1])
        let old = PaperVector(paper: v1, vector: [0.6, 0.8])
        _ = try await store.saveVectors([old], model: model)

        var upvoted = SamplePapers.arxiv("1706.03762", version: 1, source: .hfDaily)
        upvoted.upvotes = 40
        #expect(try await store.upsert([upvoted]) == UpsertCounts(updated: 1))
        #expect(try await store.vectorCount(model: model) == 1)

        let v2 = SamplePapers.arxiv("1706.03762", version: 2, title: "Attention Is All You Need (revised)")
        #expect(try await store.upsert([v2]) == UpsertCounts(updated: 1))
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).map(\.id) == [v1.id])
        #expect(try await store.vectorCount(model: model) == 0)
        #expect(try await store.saveVectors([old], model: model) == 0)
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).map(\.id) == [v1.id])

        let current = try #require(try await store.paper(id: v1.id))
        #expect(try await store.saveVectors([PaperVector(paper: current, vector: [0.8, 0.6])], model: model) == 1)
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).isEmpty)
    }

    /// When a title-only record merges into an arXiv record, its vector moves to the arXiv id
    /// if the text stayed, and is dropped if the text changed; no vector is left under the old
    /// id, and a vector saved under the old id lands on the merged paper.
    public static func mergeLeavesNoOrphanVector(_ store: any PaperStore) async throws {
        let arxiv = SamplePapers.arxiv("1706.03762")
        let samePage = SamplePapers.titleOnly(arxiv.title, abstract: arxiv.abstract, upvotes: 9)
        let scaling = SamplePapers.arxiv("2001.08361", title: "Scaling Laws for Neural Language Models", abstract: "Power laws.")
        let otherPage = SamplePapers.titleOnly("Scaling laws for neural language models!", abstract: "From the page.")
        _ = try await store.upsert([samePage, otherPage])
        _ = try await store.saveVectors([PaperVector(paper: samePage, vector: [1, 0]), PaperVector(paper: otherPage, vector: [0, 1])],
                                        model: model)
        _ = try await store.upsert([arxiv, scaling])

        let kept = try await store.vectors(model: model, after: nil, limit: 10)
        #expect(kept.map(\.id) == [arxiv.id])
        #expect(kept.map(bitPatterns) == [[Float(1), 0].map(\.bitPattern)])
        #expect(try await store.vectorCount(model: model) == 1)
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).map(\.id) == [scaling.id])

        let merged = try #require(try await store.paper(id: otherPage.id))
        let underOldID = PaperVector(id: otherPage.id, textHash: merged.embeddingTextHash, vector: [0, 1])
        #expect(try await store.saveVectors([underOldID], model: model) == 1)
        #expect(try await store.vectors(model: model, after: nil, limit: 10).map(\.id) == [arxiv.id, scaling.id])
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).isEmpty)
    }

    /// A vector for an id the store does not know is skipped, not an error: the rest is saved.
    public static func vectorOfUnknownPaperIsSkipped(_ store: any PaperStore) async throws {
        let paper = SamplePapers.arxiv("1706.03762")
        _ = try await store.upsert([paper])
        let unknown = PaperVector(id: SamplePapers.arxivID("2401.99999"), textHash: paper.embeddingTextHash, vector: [1, 0])
        #expect(try await store.saveVectors([unknown, PaperVector(paper: paper, vector: [0, 1])], model: model) == 1)
        #expect(try await store.vectors(model: model, after: nil, limit: 10).map(\.id) == [paper.id])
    }

    /// A batch mixing lengths, holding NaN, or disagreeing with the length the model already
    /// stores fails whole: even its valid vectors are not written.
    public static func failingVectorBatchWritesNothing(_ store: any PaperStore) async throws {
        let papers = SamplePapers.generated(count: 3)
        _ = try await store.upsert(papers)
        let first = PaperVector(paper: papers[0], vector: [1, 0, 0])
        await #expect(throws: PaperboyError.self) {
            try await store.saveVectors([first, PaperVector(paper: papers[1], vector: [1, 0])], model: model)
        }
        await #expect(throws: PaperboyError.self) {
            try await store.saveVectors([first, PaperVector(paper: papers[1], vector: [.nan, 0, 0])], model: model)
        }
        await #expect(throws: PaperboyError.self) { try await store.saveVectors([PaperVector(paper: papers[1], vector: [])], model: model) }
        #expect(try await store.vectorCount(model: model) == 0)

        _ = try await store.saveVectors([first], model: model)
        await #expect(throws: PaperboyError.self) {
            try await store.saveVectors([PaperVector(paper: papers[1], vector: [0, 1, 0]), PaperVector(paper: papers[0], vector: [0, 1])],
                                        model: model)
        }
        #expect(try await store.vectors(model: model, after: nil, limit: 10).map(bitPatterns) == [bitPatterns(first)])
        #expect(try await store.saveVectors([PaperVector(paper: papers[2], vector: [0, 1])], model: "another-model") == 1)
    }

    /// Paging by `after` meets every stored vector exactly once, in id order, and a pass over
    /// the papers needing vectors that saves each page ends with every paper done.
    public static func vectorPagingCoversEveryVectorOnce(_ store: any PaperStore) async throws {
        let papers = SamplePapers.generated(count: 250)
        _ = try await store.upsert(papers)
        var after: PaperID?
        var pages = 0
        while true {
            let page = try await store.papersNeedingVectors(model: model, after: after, limit: 16)
            guard let last = page.last else { break }
            #expect(try await store.saveVectors(page.map { PaperVector(paper: $0, vector: vector(for: $0)) }, model: model) == page.count)
            after = last.id
            pages += 1
        }
        #expect(pages == 16)
        #expect(try await store.papersNeedingVectors(model: model, limit: 10).isEmpty)
        #expect(try await store.vectorCount(model: model) == 250)

        var seen: [PaperVector] = []
        after = nil
        while true {
            let page = try await store.vectors(model: model, after: after, limit: 7)
            guard let last = page.last else { break }
            seen += page
            after = last.id
        }
        let sorted = papers.sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(seen.map(\.id) == sorted.map(\.id))
        #expect(seen.map(bitPatterns) == sorted.map { vector(for: $0).map(\.bitPattern) })
    }

    /// Every vector saved takes the next number of the store's vector sequence, so a server
    /// following from a number it reached takes in every later vector of its model once, in
    /// pages, a vector saved again included; saving vectors moves no generation.
    public static func savedVectorsAreFollowedFromTheSequence(_ store: any PaperStore) async throws {
        #expect(try await store.vectorSequence() == 0)
        let papers = SamplePapers.generated(count: 5)
        _ = try await store.upsert(papers)
        let generation = try await store.generation()
        let vectors = papers.map { PaperVector(paper: $0, vector: vector(for: $0)) }
        #expect(try await store.saveVectors(Array(vectors[0..<3]), model: model) == 3)
        #expect(try await store.vectorSequence() == 3)
        #expect(try await store.generation() == generation)

        let first = try await store.vectorsSaved(model: model, since: 0, limit: 2)
        #expect(first.vectors == Array(vectors[0..<2]) && first.sequence == 2)
        // Another model's vector takes a number too, but is not this model's to follow.
        #expect(try await store.saveVectors([vectors[4]], model: "another-model") == 1)
        #expect(try await store.saveVectors([vectors[3], vectors[4], vectors[0]], model: model) == 3)
        let rest = try await store.vectorsSaved(model: model, since: first.sequence, limit: 100)
        #expect(rest.vectors.map(\.id) == [papers[2], papers[3], papers[4], papers[0]].map(\.id))
        #expect(rest.vectors.last == vectors[0] && rest.sequence == 7)
        #expect(try await store.vectorsSaved(model: model, since: rest.sequence, limit: 100) == SavedVectors(vectors: [], sequence: 7))
        #expect(try await store.vectorSequence() == 7)
        #expect(try await store.generation() == generation)
    }

    /// The vector's floats as bits, so `-0.0` and `0.0` differ.
    private static func bitPatterns(_ vector: PaperVector) -> [UInt32] {
        vector.vector.map(\.bitPattern)
    }

    /// A deterministic 384-dimensional vector for a paper, distinct per paper.
    private static func vector(for paper: Paper) -> [Float] {
        var random = SplitMix64(seed: paper.id.rawValue.utf8.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) })
        return (0..<384).map { _ in Float(Int64(bitPattern: random.next()) % 1_000_000) / 1_000_000 }
    }
}
