import Foundation
import PaperboyCore
import PostgresNIO

/// How a paper maps to a row of `papers`: the columns of `PaperColumns`, read with one
/// selection and written by multi-row statements.
enum PaperRows {
    /// The columns `decode(_:)` reads, in order.
    static let selection = """
        id, title, abstract, authors, categories, published, updated, version, doi, journal_ref, \
        comments, abs_url, pdf_url, code_url, upvotes, sources, title_key
        """

    /// The columns `append(_:revision:to:)` binds, in order.
    static let insertion = """
        id, id_kind, title, abstract, authors, categories, primary_category, published, updated, \
        version, doi, journal_ref, comments, abs_url, pdf_url, code_url, upvotes, sources, title_key, revision
        """
    static let insertionCount = 20

    /// The row's paper columns.
    static func decode(_ row: PostgresRow) throws -> PaperColumns {
        let (id, title, abstract, authors, categories, published, updated, version, doi, journalRef,
             comments, abstractURL, pdfURL, codeURL, upvotes, sources, titleKey) = try row.decode(
            (String, String, String, String, String, Int64?, Int64?, Int64?, String?, String?,
             String?, String?, String?, String?, Int64?, String, String).self)
        return PaperColumns(
            id: id, title: title, abstract: abstract, authors: authors, categories: categories,
            published: published, updated: updated, version: version, doi: doi, journalRef: journalRef,
            comments: comments, abstractURL: abstractURL, pdfURL: pdfURL, codeURL: codeURL,
            upvotes: upvotes, sources: sources, titleKey: titleKey)
    }

    /// Every paper the query returns, in its order.
    static func papers(_ rows: PostgresRowSequence) async throws -> [Paper] {
        var papers: [Paper] = []
        for try await row in rows {
            papers.append(try decode(row).paper())
        }
        return papers
    }

    /// Appends the values of `insertion` for `columns` to `bindings`.
    static func append(_ columns: PaperColumns, revision: Int64, to bindings: inout PostgresBindings) {
        let kind = PaperID(columns.id)?.kind ?? .title
        bindings.append(columns.id)
        bindings.append(Int16(kind.rawValue))
        bindings.append(columns.title)
        bindings.append(columns.abstract)
        bindings.append(columns.authors)
        bindings.append(columns.categories)
        bindings.append(columns.categories.split(separator: " ", maxSplits: 1).first.map(String.init))
        bindings.append(columns.published)
        bindings.append(columns.updated)
        bindings.append(columns.version)
        bindings.append(columns.doi)
        bindings.append(columns.journalRef)
        bindings.append(columns.comments)
        bindings.append(columns.abstractURL)
        bindings.append(columns.pdfURL)
        bindings.append(columns.codeURL)
        bindings.append(columns.upvotes)
        bindings.append(columns.sources)
        bindings.append(columns.titleKey)
        bindings.append(revision)
    }

    /// `($1, …, $n), ($n+1, …)`: placeholders for `rows` rows of `columns` values each.
    static func placeholders(rows: Int, columns: Int) -> String {
        (0..<rows).map { row in
            "(" + (1...columns).map { "$\(row * columns + $0)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }
}
