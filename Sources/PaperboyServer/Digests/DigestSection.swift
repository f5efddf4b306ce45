import Foundation
import PaperboyCore

/// Why a paper is recommended: it is like one the reader saved under a tag.
public struct DigestReason: Sendable, Hashable {
    /// The title of the saved paper it resembles.
    public var likeTitle: String
    public var tag: String

    public init(likeTitle: String, tag: String) {
        self.likeTitle = likeTitle
        self.tag = tag
    }
}

/// One paper in a digest, with its reason when it is a recommendation.
public struct DigestEntry: Sendable {
    public var paper: Paper
    public var reason: DigestReason?

    public init(paper: Paper, reason: DigestReason? = nil) {
        self.paper = paper
        self.reason = reason
    }
}

/// A part of a digest: trending papers, recommendations for one tag, or a saved search's new hits.
public struct DigestSection: Sendable {
    public enum Kind: Sendable, Hashable {
        case trending
        case tag(String)
        case search(String)
    }

    public var kind: Kind
    public var entries: [DigestEntry]

    public init(kind: Kind, entries: [DigestEntry]) {
        self.kind = kind
        self.entries = entries
    }

    /// The heading, plain text (the HTML escapes it).
    var heading: String {
        switch kind {
        case .trending: "Trending"
        case .tag(let tag): "For you in “\(DigestText.line(tag))”"
        case .search(let query): "New for your search “\(DigestText.line(query))”"
        }
    }
}

/// Where a digest's sections come from: the server wires the catalog (trending and saved
/// searches) and the recommender (tags) behind this, so composing stays pure and testable.
public protocol DigestSources: Sendable {
    /// Papers first published in `since..<until`, hottest first.
    func trending(since: Date, until: Date, limit: Int) async throws -> [Paper]
    /// Recommendations for each of the reader's tags, with reasons; tags without any left out.
    func recommendations(for reader: ReaderID, perTag limit: Int) async throws -> [(tag: String, entries: [DigestEntry])]
    /// Papers first published in `since..<until` matching `query`, best first.
    func searchHits(_ query: String, since: Date, until: Date, limit: Int) async throws -> [Paper]
    /// The `limit` topics of the map of the field rising most in the latest complete week,
    /// each with its `papersEach` newest papers; none without a map (the default).
    func risingTopics(limit: Int, papersEach: Int) async throws -> [DigestRisingTopic]
}

/// Text made safe for one line of a plain-text or HTML body: every control character
/// (CR, LF, NUL, tabs…) and run of spaces becomes one space.
enum DigestText {
    static func line(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
                || scalar == "\u{2028}" || scalar == "\u{2029}" {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result += " "; pendingSpace = false }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
