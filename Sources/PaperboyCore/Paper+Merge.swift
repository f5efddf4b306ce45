import Foundation

extension Paper {
    /// The record that results from learning `other` about the same paper.
    ///
    /// Merging is commutative and idempotent, so importing files in any order, or twice,
    /// gives the same record:
    /// - the newer arXiv version wins the versioned text (title, abstract, authors, comments);
    ///   at the same version the more authoritative source wins, then the later update;
    /// - fields the winner lacks are filled from the other record (a richer record adds);
    /// - the id is the strongest of the two (arXiv, then DOI, then title);
    /// - dates span both records, upvotes keep the highest count, sources are united.
    public func merged(with other: Paper) -> Paper {
        let (winner, loser) = Self.precedes(self, other) ? (self, other) : (other, self)
        var result = winner
        if loser.id.kind > result.id.kind { result.id = loser.id }
        if result.title.isEmpty { result.title = loser.title }
        if result.abstract.isEmpty { result.abstract = loser.abstract }
        if result.authors.isEmpty { result.authors = loser.authors }
        if result.categories.isEmpty { result.categories = loser.categories }
        result.version = Self.max(winner.version, loser.version)
        result.published = Self.min(winner.published, loser.published)
        result.updated = Self.max(winner.updated, loser.updated)
        result.doi = result.doi ?? loser.doi
        result.journalRef = result.journalRef ?? loser.journalRef
        result.comments = result.comments ?? loser.comments
        result.links = Links(
            abstract: result.links.abstract ?? loser.links.abstract,
            pdf: result.links.pdf ?? loser.links.pdf,
            code: result.links.code ?? loser.links.code)
        result.upvotes = Self.max(winner.upvotes, loser.upvotes)
        result.sources = winner.sources.union(loser.sources)
        return result
    }

    /// Whether `a` should win over `b`: newer version, then stronger source, then later
    /// update, then the richer record, then a fixed order on content so ties never depend on
    /// which record arrived first.
    static func precedes(_ a: Paper, _ b: Paper) -> Bool {
        if let va = a.version, let vb = b.version, va != vb { return va > vb }
        let ra = a.sources.max()?.rank ?? -1, rb = b.sources.max()?.rank ?? -1
        if ra != rb { return ra > rb }
        if a.updated != b.updated { return (a.updated ?? .distantPast) > (b.updated ?? .distantPast) }
        if a.richness != b.richness { return a.richness > b.richness }
        return a.tieBreaker >= b.tieBreaker
    }

    /// How many optional fields a record fills.
    private var richness: Int {
        [!abstract.isEmpty, !authors.isEmpty, !categories.isEmpty, published != nil, version != nil, doi != nil,
         journalRef != nil, comments != nil, links.abstract != nil, links.pdf != nil, links.code != nil]
            .filter { $0 }.count
    }

    private var tieBreaker: String { title + "\u{1}" + abstract + "\u{1}" + authors.map(\.name).joined(separator: ",") }

    private static func max<T: Comparable>(_ a: T?, _ b: T?) -> T? {
        switch (a, b) {
        case let (x?, y?): Swift.max(x, y)
        default: a ?? b
        }
    }

    private static func min<T: Comparable>(_ a: T?, _ b: T?) -> T? {
        switch (a, b) {
        case let (x?, y?): Swift.min(x, y)
        default: a ?? b
        }
    }
}
