import Foundation
import PaperboyCore

/// How a `Paper` maps to a row of the `papers` table, by hand (no Codable record) because it
/// runs once per paper on the import path.
///
/// A paper reads back equal to the paper written once it went through `normalized(_:)`: dates
/// are kept to the second, categories are single words without control characters.
enum PaperRow {
    /// The columns `StoredPaper` reads, in order.
    static let selection = """
        id, title, abstract, authors, categories, published, updated, version, doi, journal_ref, \
        comments, abs_url, pdf_url, code_url, upvotes, sources, title_key
        """

    /// The columns `bind(_:titleKey:revision:to:)` binds, as `?1`…`?21` in this order.
    static let insertion = """
        id, id_kind, title, abstract, authors, categories, primary_category, published, updated, \
        version, doi, journal_ref, comments, abs_url, pdf_url, code_url, upvotes, sources, title_key, \
        title_hash, revision
        """

    /// How many columns `insertion` names.
    static let insertionCount: Int32 = 21

    /// `?1, ?2, …` for `insertion`.
    static let insertionPlaceholders = (1...insertionCount).map { "?\($0)" }.joined(separator: ", ")

    /// `column = ?n` for every column of `insertion` but the id, for an UPDATE that binds the
    /// same parameters as the INSERT.
    static let assignments = insertion.split(separator: ",").enumerated().dropFirst()
        .map { "\($0.element.trimmingCharacters(in: .whitespacesAndNewlines)) = ?\($0.offset + 1)" }
        .joined(separator: ", ")

    /// Binds the columns of `insertion` for `paper` to `statement`.
    static func bind(_ paper: Paper, titleKey: String, revision: Int64, to statement: RawStatement) {
        bind(Encoded(paper, titleKey: titleKey), revision: revision, to: statement)
    }

    /// Binds the columns of `insertion` for an already encoded paper to `statement`.
    static func bind(_ encoded: Encoded, revision: Int64, to statement: RawStatement) {
        let paper = encoded.paper
        statement.bind(paper.id.rawValue, at: 1)
        statement.bind(paper.id.kind.rawValue, at: 2)
        statement.bind(paper.title, at: 3)
        statement.bind(paper.abstract, at: 4)
        statement.bind(encoded.authors, at: 5)
        statement.bind(encoded.categories, at: 6)
        statement.bind(paper.categories.first, at: 7)
        statement.bind(seconds(paper.published), at: 8)
        statement.bind(seconds(paper.updated), at: 9)
        statement.bind(paper.version, at: 10)
        statement.bind(paper.doi, at: 11)
        statement.bind(paper.journalRef, at: 12)
        statement.bind(paper.comments, at: 13)
        statement.bind(paper.links.abstract, at: 14)
        statement.bind(paper.links.pdf, at: 15)
        statement.bind(paper.links.code, at: 16)
        statement.bind(paper.upvotes, at: 17)
        statement.bind(encoded.sources, at: 18)
        statement.bind(encoded.titleKey, at: 19)
        statement.bind(encoded.titleHash, at: 20)
        statement.bind(revision, at: 21)
    }

    /// A paper with the text of its derived columns already computed. Upserts encode a batch
    /// before taking the write lock, so this work runs beside the single writer, not inside it.
    struct Encoded: Sendable {
        let paper: Paper
        let titleKey: String
        let titleHash: Int64
        let authors: String
        let categories: String
        let sources: String

        init(_ paper: Paper, titleKey: String? = nil) {
            self.paper = paper
            self.titleKey = titleKey ?? TitleKey.normalize(paper.title)
            titleHash = TitleKey.storageHash(self.titleKey)
            authors = AuthorsJSON.encode(paper.authors)
            categories = paper.categories.joined(separator: " ")
            sources = PaperRow.sourcesText(paper.sources)
        }
    }

    /// See `PaperColumns.normalized(_:)`.
    static func normalized(_ paper: Paper) -> Paper { PaperColumns.normalized(paper) }

    static func seconds(_ date: Date?) -> Int64? { PaperColumns.seconds(date) }

    static func sourcesText(_ sources: Set<PaperSource>) -> String { PaperColumns.sourcesText(sources) }
}
