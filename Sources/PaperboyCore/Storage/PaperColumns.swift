import Foundation

/// A paper as both stores keep it in their `papers` table, one column per field: the text
/// forms of its lists (categories and sources space-separated, authors as `AuthorsJSON`) and
/// its dates as unix seconds. One encoding, so a paper reads back the same from either store.
///
/// A paper reads back equal to the paper written once it went through `normalized(_:)`: dates
/// are kept to the second, categories are single words without control characters.
public struct PaperColumns: Sendable {
    public var id: String
    public var title: String
    public var abstract: String
    public var authors: String
    public var categories: String
    public var published: Int64?
    public var updated: Int64?
    public var version: Int64?
    public var doi: String?
    public var journalRef: String?
    public var comments: String?
    public var abstractURL: String?
    public var pdfURL: String?
    public var codeURL: String?
    public var upvotes: Int64?
    public var sources: String
    public var titleKey: String

    public init(id: String, title: String, abstract: String, authors: String, categories: String,
                published: Int64?, updated: Int64?, version: Int64?, doi: String?, journalRef: String?,
                comments: String?, abstractURL: String?, pdfURL: String?, codeURL: String?,
                upvotes: Int64?, sources: String, titleKey: String) {
        self.id = id
        self.title = title
        self.abstract = abstract
        self.authors = authors
        self.categories = categories
        self.published = published
        self.updated = updated
        self.version = version
        self.doi = doi
        self.journalRef = journalRef
        self.comments = comments
        self.abstractURL = abstractURL
        self.pdfURL = pdfURL
        self.codeURL = codeURL
        self.upvotes = upvotes
        self.sources = sources
        self.titleKey = titleKey
    }

    /// The columns of `paper`, already `normalized(_:)`, under `titleKey` (computed when nil).
    public init(_ paper: Paper, titleKey: String? = nil) {
        self.init(
            id: paper.id.rawValue, title: paper.title, abstract: paper.abstract,
            authors: AuthorsJSON.encode(paper.authors), categories: paper.categories.joined(separator: " "),
            published: Self.seconds(paper.published), updated: Self.seconds(paper.updated),
            version: paper.version.map(Int64.init), doi: paper.doi, journalRef: paper.journalRef,
            comments: paper.comments, abstractURL: paper.links.abstract, pdfURL: paper.links.pdf,
            codeURL: paper.links.code, upvotes: paper.upvotes.map(Int64.init),
            sources: Self.sourcesText(paper.sources), titleKey: titleKey ?? TitleKey.normalize(paper.title))
    }

    /// The stored paper. `knownID` skips parsing the id when the caller already holds it (the
    /// usual case on the upsert path).
    public func paper(knownID: PaperID? = nil) throws -> Paper {
        let paperID: PaperID
        if let knownID, knownID.rawValue == id {
            paperID = knownID
        } else if let parsed = PaperID(id) {
            paperID = parsed
        } else {
            throw PaperRowError("papers.id \"\(id)\" is not a paper id")
        }
        guard let authorList = AuthorsJSON.decode(authors) else {
            throw PaperRowError("papers.authors of \(id) is not a JSON array of authors")
        }
        // Built empty and filled field by field: the initializer would normalize text that was
        // normalized before it was stored.
        var paper = Paper(id: paperID, title: "", sources: [])
        paper.title = title
        paper.abstract = abstract
        paper.authors = authorList
        paper.categories = categories.split(separator: " ").map(String.init)
        paper.published = published.map(Self.date)
        paper.updated = updated.map(Self.date)
        paper.version = version.map { Int($0) }
        paper.doi = doi
        paper.journalRef = journalRef
        paper.comments = comments
        paper.links.abstract = abstractURL
        paper.links.pdf = pdfURL
        paper.links.code = codeURL
        paper.upvotes = upvotes.map { Int($0) }
        paper.sources = Set(sources.split(separator: " ").compactMap { PaperSource(rawValue: String($0)) })
        return paper
    }

    /// `paper` as it reads back after being stored: dates to the whole second, categories
    /// split at whitespace and stripped of control characters. Upserts merge the normalized
    /// form, so storing and re-reading a paper never looks like a change.
    public static func normalized(_ paper: Paper) -> Paper {
        let plain = paper.categories.allSatisfy { category in
            !category.isEmpty && category.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f }
        }
        if plain && isWholeSecond(paper.published) && isWholeSecond(paper.updated) {
            return paper  // the usual case: nothing to change, nothing copied
        }
        var paper = paper
        paper.published = paper.published.map(wholeSecond)
        paper.updated = paper.updated.map(wholeSecond)
        if !plain {
            paper.categories = paper.categories.flatMap { category in
                category.split(whereSeparator: \.isWhitespace)
                    .map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0.properties.generalCategory != .control })) }
                    .filter { !$0.isEmpty }
            }
        }
        return paper
    }

    /// Unix seconds, rounded down, as stored in `published` and `updated`.
    public static func seconds(_ date: Date?) -> Int64? {
        guard let date else { return nil }
        let seconds = date.timeIntervalSince1970.rounded(.down)
        return Int64(exactly: seconds) ?? (seconds < 0 ? Int64.min : Int64.max)
    }

    /// The sources as stored: raw values sorted and space-separated, so a set always gives the
    /// same text.
    public static func sourcesText(_ sources: Set<PaperSource>) -> String {
        if sources.count == 1, let only = sources.first { return only.rawValue }
        return sources.map(\.rawValue).sorted().joined(separator: " ")
    }

    public static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    private static func isWholeSecond(_ date: Date?) -> Bool {
        guard let date else { return true }
        return date == wholeSecond(date)
    }

    private static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

/// A stored row that does not read back as a paper (the store was edited or damaged).
public struct PaperRowError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
