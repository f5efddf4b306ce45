import PaperboyCore

/// Papers known to belong together, standing in for a reader's tag in evaluation (a judged
/// query's relevant documents, or one topic page's papers).
public struct ReaderTag: Sendable {
    public var name: String
    public var papers: [PaperID]

    public init(name: String, papers: [PaperID]) {
        self.name = name
        self.papers = papers
    }
}

/// One trial of a tag: the papers the reader saved, in saving order, and the rest of the
/// tag, which a good recommender should find.
public struct HeldOutSplit: Sendable {
    public var tag: String
    public var saved: [PaperID]
    public var heldOut: Set<PaperID>
}

/// The held-out protocol: each tag is split several times at random into a saved half
/// (randomly ordered, so "the last saved" is a random one of them) and a held-out half; a
/// strategy sees the saved half and is scored by precision@k on the held-out half.
public struct HeldOutEvaluation: Sendable {
    public var splitsPerTag: Int
    public var seed: UInt64
    /// Cut-off of the precision.
    public var depth: Int

    public init(splitsPerTag: Int = 5, seed: UInt64 = 1, depth: Int = 10) {
        self.splitsPerTag = splitsPerTag
        self.seed = seed
        self.depth = depth
    }

    /// Every split of every tag, tag by tag; the same for the same seed. A tag's papers are
    /// put in id order first, so the splits do not depend on the order the tag listed them.
    public func splits(of tags: [ReaderTag]) -> [HeldOutSplit] {
        tags.enumerated().flatMap { tagIndex, tag in
            (0..<splitsPerTag).map { split in
                var random = SeededGenerator(seed: seed, stream: UInt64(tagIndex) << 16 | UInt64(split))
                var papers = Array(Set(tag.papers)).sorted()
                random.shuffle(&papers)
                let saved = papers.count / 2
                return HeldOutSplit(tag: tag.name, saved: Array(papers[..<saved]), heldOut: Set(papers[saved...]))
            }
        }
    }

    /// The share of the first `depth` recommendations that are held out (missing places
    /// count as misses).
    public func precision(of recommended: [PaperID], in split: HeldOutSplit) -> Double {
        Double(recommended.prefix(depth).filter { split.heldOut.contains($0) }.count) / Double(depth)
    }

    /// Mean precision@depth of `recommend` over every split of `tags`.
    public func meanPrecision(of tags: [ReaderTag], _ recommend: (HeldOutSplit) throws -> [PaperID]) rethrows -> Double {
        let splits = splits(of: tags)
        guard !splits.isEmpty else { return 0 }
        var sum = 0.0
        for split in splits { sum += precision(of: try recommend(split), in: split) }
        return sum / Double(splits.count)
    }

    /// Mean precision@depth of a strategy over every split of `tags`.
    public func meanPrecision(of strategy: some RecommendationStrategy, tags: [ReaderTag], features: PaperFeatures) -> Double {
        meanPrecision(of: tags) { split in
            strategy.recommend(for: split.saved, among: features, limit: depth).map(\.paper)
        }
    }
}
