import Foundation
import PaperboyCore
import TextAnalysis

/// A paper as the keyword index sees it: its id, its publication day, and the terms of each
/// field with their word positions. Made by one function (`init(paper:)`) so every paper is
/// analyzed the same way whether it is indexed at start-up or as it arrives.
public struct IndexDocument: Sendable {
    public var id: String
    /// Days since 1970-01-01 UTC; `Int32.min` when the paper has no date, so date filters
    /// leave it out.
    public var day: Int32
    /// Per field, in `SearchField.allCases` order.
    public var fields: [FieldTerms]

    public init(id: String, day: Int32, fields: [FieldTerms]) {
        precondition(fields.count == SearchField.allCases.count, "a document has terms for every field")
        self.id = id
        self.day = day
        self.fields = fields
    }

    /// Analyzes a paper: title and abstract with the stemming English analyzer, author names
    /// with the name analyzer (one position of gap between authors, so a phrase never spans
    /// two names), categories as keywords, each with its archive (`cs.lg` and `cs`).
    /// `caches` are the calling thread's term caches, kept across papers.
    public init(paper: Paper, caches: inout AnalysisCaches) {
        let title = FieldTerms(TextAnalyzer.english.analyze(paper.title, cache: &caches.english))
        let abstract = FieldTerms(TextAnalyzer.english.analyze(paper.abstract, cache: &caches.english))
        var authors = FieldTerms()
        for author in paper.authors {
            authors.append(TextAnalyzer.names.analyze(author.name, cache: &caches.names), gap: authors.terms.isEmpty ? 0 : 1)
        }
        var categoryTerms: [String] = []
        for category in paper.categories {
            let folded = category.lowercased()
            categoryTerms.append(folded)
            if let dot = folded.firstIndex(of: "."), !categoryTerms.contains(String(folded[..<dot])) {
                categoryTerms.append(String(folded[..<dot]))
            }
        }
        let categories = FieldTerms(terms: categoryTerms, positions: [], length: UInt32(categoryTerms.count))
        self.init(id: paper.id.rawValue, day: paper.published.map(Self.day(of:)) ?? .min, fields: [title, abstract, authors, categories])
    }

    /// Days since 1970-01-01 UTC of an instant.
    public static func day(of date: Date) -> Int32 {
        Int32(clamping: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

/// One thread's term caches, one per analyzer (see `TermCache`).
public struct AnalysisCaches: Sendable {
    var english = TermCache()
    var names = TermCache(capacity: 1024)

    public init() {}
}

/// The terms of one field of one document, with their word positions.
public struct FieldTerms: Sendable, Equatable {
    public var terms: [String]
    /// Word position of each term (empty for a field without positions).
    public var positions: [UInt32]
    /// The field's length in words: what BM25 normalizes by.
    public var length: UInt32

    public init(terms: [String] = [], positions: [UInt32] = [], length: UInt32 = 0) {
        self.terms = terms
        self.positions = positions
        self.length = length
    }

    /// Terms from analyzed tokens; a compound shares the position of its first part, so it
    /// does not count toward the length.
    public init(_ tokens: [Token]) {
        self.init()
        append(tokens, gap: 0)
    }

    /// Pre-tokenized words at consecutive positions, as a peer engine given the same tokens
    /// would see them.
    public init(words: [String]) {
        self.init(terms: words, positions: (0..<UInt32(words.count)).map { $0 }, length: UInt32(words.count))
    }

    /// Appends tokens after the ones already here, `gap` positions further on.
    mutating func append(_ tokens: [Token], gap: UInt32) {
        let base = positions.last.map { $0 + 1 + gap } ?? 0
        for token in tokens {
            terms.append(token.term)
            positions.append(base + UInt32(max(0, token.position)))
            if token.kind != .compound { length += 1 }
        }
    }
}
