/// Papers recommended for one of a reader's tags, best first: what the "For you" page, its
/// JSON twin and a digest's "your tags" section show. A plain value in the core, so whatever
/// composes a digest can take it without knowing how it was computed.
public struct TagRecommendations: Sendable, Hashable {
    public var tag: String
    public var papers: [RecommendedPaper]

    public init(tag: String, papers: [RecommendedPaper]) {
        self.tag = tag
        self.papers = papers
    }
}

/// One recommended paper with its reason: "like *likeTitle* in your tag *tag*", where the
/// title is that of the paper the reader saved in the tag that this one is most like.
public struct RecommendedPaper: Sendable, Hashable {
    public var paper: Paper
    public var tag: String
    /// The saved paper named in the reason.
    public var like: PaperID
    public var likeTitle: String

    public init(paper: Paper, tag: String, like: PaperID, likeTitle: String) {
        self.paper = paper
        self.tag = tag
        self.like = like
        self.likeTitle = likeTitle
    }
}
