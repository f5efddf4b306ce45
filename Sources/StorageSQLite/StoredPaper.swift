import Foundation
import GRDB
import GRDBSQLite
import PaperboyCore

/// A row selected with `PaperRow.selection`, read straight from the SQLite statement.
///
/// The upsert path reads it from a `RawStatement`; queries get it from GRDB's fast value
/// cursor, which hands a `StatementColumnConvertible` type the raw statement, so a row costs
/// one step and seventeen column reads instead of building a `Row` with its column-name table.
struct StoredPaper: DatabaseValueConvertible, StatementColumnConvertible {
    let id: String
    let title: String
    let abstract: String
    let authors: String
    let categories: String
    let published: Int64?
    let updated: Int64?
    let version: Int64?
    let doi: String?
    let journalRef: String?
    let comments: String?
    let abstractURL: String?
    let pdfURL: String?
    let codeURL: String?
    let upvotes: Int64?
    let sources: String
    let titleKey: String

    /// Reads the columns of `PaperRow.selection`, the first at `index`.
    init(sqliteStatement: SQLiteStatement, index: CInt) {
        id = RawColumn.text(sqliteStatement, index) ?? ""
        title = RawColumn.text(sqliteStatement, index + 1) ?? ""
        abstract = RawColumn.text(sqliteStatement, index + 2) ?? ""
        authors = RawColumn.text(sqliteStatement, index + 3) ?? "[]"
        categories = RawColumn.text(sqliteStatement, index + 4) ?? ""
        published = RawColumn.integer(sqliteStatement, index + 5)
        updated = RawColumn.integer(sqliteStatement, index + 6)
        version = RawColumn.integer(sqliteStatement, index + 7)
        doi = RawColumn.text(sqliteStatement, index + 8)
        journalRef = RawColumn.text(sqliteStatement, index + 9)
        comments = RawColumn.text(sqliteStatement, index + 10)
        abstractURL = RawColumn.text(sqliteStatement, index + 11)
        pdfURL = RawColumn.text(sqliteStatement, index + 12)
        codeURL = RawColumn.text(sqliteStatement, index + 13)
        upvotes = RawColumn.integer(sqliteStatement, index + 14)
        sources = RawColumn.text(sqliteStatement, index + 15) ?? ""
        titleKey = RawColumn.text(sqliteStatement, index + 16) ?? ""
    }

    /// The stored paper. `knownID` skips parsing the id when the caller already holds it (the
    /// usual case on the upsert path).
    func paper(knownID: PaperID? = nil) throws -> Paper {
        try PaperColumns(
            id: id, title: title, abstract: abstract, authors: authors, categories: categories,
            published: published, updated: updated, version: version, doi: doi, journalRef: journalRef,
            comments: comments, abstractURL: abstractURL, pdfURL: pdfURL, codeURL: codeURL,
            upvotes: upvotes, sources: sources, titleKey: titleKey
        ).paper(knownID: knownID)
    }

    /// Whether the row `statement` is positioned on (the columns of `PaperRow.selection`)
    /// stores exactly `paper`, in its normalized form. Compares the column bytes in place,
    /// without building strings, so re-importing an unchanged paper costs no allocation but
    /// the authors' JSON, written into the caller's reusable `scratch` buffer.
    static func row(_ statement: SQLiteStatement, holds paper: Paper, scratch: inout [UInt8]) -> Bool {
        guard RawColumn.text(statement, 0, equals: paper.id.rawValue),
              RawColumn.text(statement, 1, equals: paper.title),
              RawColumn.text(statement, 2, equals: paper.abstract),
              RawColumn.integer(statement, 5) == PaperRow.seconds(paper.published),
              RawColumn.integer(statement, 6) == PaperRow.seconds(paper.updated),
              RawColumn.integer(statement, 7) == paper.version.map(Int64.init),
              RawColumn.text(statement, 8, equals: paper.doi),
              RawColumn.text(statement, 9, equals: paper.journalRef),
              RawColumn.text(statement, 10, equals: paper.comments),
              RawColumn.text(statement, 11, equals: paper.links.abstract),
              RawColumn.text(statement, 12, equals: paper.links.pdf),
              RawColumn.text(statement, 13, equals: paper.links.code),
              RawColumn.integer(statement, 14) == paper.upvotes.map(Int64.init),
              RawColumn.text(statement, 15, equals: PaperRow.sourcesText(paper.sources)),
              RawColumn.words(statement, 4, equal: paper.categories)
        else { return false }
        AuthorsJSON.encode(paper.authors, into: &scratch)
        return scratch.withUnsafeBufferPointer { RawColumn.bytes(statement, 3, equal: $0) }
    }

    /// Never used: a stored paper is only read, through the statement.
    var databaseValue: DatabaseValue { .null }

    /// Never used: a stored paper is only read, through the statement.
    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredPaper? { nil }
}
