import PaperboyCore

/// A reader's "For you" as of one library revision: per tag, in the library's order, the
/// recommended papers and how fresh they are.
public struct ForYou: Sendable {
    /// The library revision asked about.
    public var revision: Int64
    public var sections: [Section]

    /// One tag's recommendations.
    public struct Section: Sendable {
        public var recommendations: TagRecommendations
        public var status: Status
        /// How long the tag's training, ranking and reasons took, once trained.
        public var trainingTime: Duration?

        public var tag: String { recommendations.tag }
    }

    /// Whether a section answers for the library as it is now.
    public enum Status: String, Sendable {
        /// Trained on this revision of the library and the current candidate pool.
        case current
        /// The previous model's answer, shown while the model for this revision trains.
        case updating
        /// Nothing trained yet for this tag; a reload in a moment will have it.
        case preparing
    }

    /// True when every section is current.
    public var isCurrent: Bool { sections.allSatisfy { $0.status == .current } }
}
