import PaperboyCore

/// `GET /api/for-you`.
struct ForYouResponse: Encodable, Sendable {
    var revision: Int64
    /// False while some tag still shows an older answer or none.
    var upToDate: Bool
    var tags: [Tag]

    struct Tag: Encodable, Sendable {
        var tag: String
        /// `current`, `updating` (an older revision's answer) or `preparing` (none yet).
        var status: String
        var trainingMs: Double?
        var papers: [Recommended]
    }

    struct Recommended: Encodable, Sendable {
        var paper: PaperRecord
        /// The saved paper the reason names: "like *title* in your tag".
        var like: Like
    }

    struct Like: Encodable, Sendable {
        var id: String
        var title: String
    }

    init(_ forYou: ForYou, size: Int, siteVotes: [PaperID: Int]) {
        revision = forYou.revision
        upToDate = forYou.isCurrent
        tags = forYou.sections.map { section in
            Tag(tag: section.tag, status: section.status.rawValue,
                trainingMs: section.trainingTime.map { Double($0.components.seconds) * 1e3 + Double($0.components.attoseconds) / 1e15 },
                papers: section.recommendations.papers.prefix(size).map {
                    Recommended(paper: PaperRecord($0.paper, siteUpvotes: siteVotes[$0.paper.id] ?? 0),
                                like: Like(id: $0.like.rawValue, title: $0.likeTitle))
                })
        }
    }
}
