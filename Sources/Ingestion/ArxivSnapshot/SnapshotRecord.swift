import Foundation
import PaperboyCore

/// Why one snapshot line cannot become a paper, phrased for the rejection report.
struct SnapshotLineProblem: Error {
    var reason: String
}

/// The fields of one snapshot line that Paperboy keeps, decoded straight from the line's bytes
/// (see `JSONScanner` for why not with Foundation). Free text (title, abstract, comments,
/// journal-ref, author names) is whitespace-collapsed while it is decoded.
struct SnapshotRecord {
    var id: String?
    var title: String?
    var abstract = ""
    var authorList: String?
    var parsedAuthors: [Author]?
    var categories: [String] = []
    var version: Int?
    var published: Date?
    var updated: Date?
    var doi: String?
    var journalRef: String?
    var comments: String?

    /// Decodes one line holding one JSON object. `scratch` is decoding room reused across lines.
    static func decode(_ line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) throws(SnapshotLineProblem) -> Self {
        var scanner = JSONScanner(bytes: line, scratch: scratch)
        scratch = []
        defer { scratch = scanner.scratch }
        var record = SnapshotRecord()
        var field: JSONKey?
        do throws(JSONSyntaxError) {
            guard scanner.peekKind() == .object else { throw scanner.wrongKind(expected: "a JSON object") }
            var cursor = try scanner.beginObject()
            while let key = try scanner.nextKey(in: &cursor) {
                field = key
                try record.readField(key, from: &scanner)
            }
            field = nil
            guard scanner.isAtEnd() else { throw scanner.error("text after the end of the object") }
        } catch {
            switch (field, error.isWrongValue) {
            case (let name?, true): throw SnapshotLineProblem(reason: "field \"\(name.text)\" \(error.message)")
            case (nil, true): throw SnapshotLineProblem(reason: "the line \(error.message)")
            case (let name?, false):
                throw SnapshotLineProblem(reason: "invalid JSON in field \"\(name.text)\" at byte \(error.offset): \(error.message)")
            case (nil, false): throw SnapshotLineProblem(reason: "invalid JSON at byte \(error.offset): \(error.message)")
            }
        }
        return record
    }

    private mutating func readField(_ key: JSONKey, from scanner: inout JSONScanner) throws(JSONSyntaxError) {
        if key.matches("id") {
            id = try Self.optionalString(&scanner)
        } else if key.matches("title") {
            title = try Self.optionalString(&scanner, collapsing: true)
        } else if key.matches("abstract") {
            abstract = try Self.optionalString(&scanner, collapsing: true) ?? ""
        } else if key.matches("authors") {
            authorList = try Self.optionalString(&scanner)
        } else if key.matches("authors_parsed") {
            parsedAuthors = try Self.parsedAuthors(&scanner)
        } else if key.matches("categories") {
            if try scanner.skipNull() { return }
            guard scanner.peekKind() == .string else { throw scanner.wrongKind(expected: "a string") }
            categories = try scanner.withStringBytes { text in
                text.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
            }
        } else if key.matches("versions") {
            try readVersions(&scanner)
        } else if key.matches("doi") {
            doi = try Self.optionalString(&scanner)
        } else if key.matches("journal-ref") {
            journalRef = try Self.optionalString(&scanner, collapsing: true)
        } else if key.matches("comments") {
            comments = try Self.optionalString(&scanner, collapsing: true)
        } else {
            try scanner.skipValue()
        }
    }

    private static func optionalString(_ scanner: inout JSONScanner, collapsing: Bool = false) throws(JSONSyntaxError) -> String? {
        if try scanner.skipNull() { return nil }
        guard scanner.peekKind() == .string else { throw scanner.wrongKind(expected: "a string") }
        return try scanner.readString(collapsingWhitespace: collapsing)
    }

    /// `[[last, first, suffix, affiliation?], …]` → authors named "first last suffix".
    private static func parsedAuthors(_ scanner: inout JSONScanner) throws(JSONSyntaxError) -> [Author]? {
        if try scanner.skipNull() { return nil }
        let expected = "an array of [last, first, suffix] arrays"
        guard scanner.peekKind() == .array else { throw scanner.wrongKind(expected: expected) }
        var authors: [Author] = []
        var list = try scanner.beginArray()
        while try scanner.nextElement(in: &list) {
            guard scanner.peekKind() == .array else { throw scanner.wrongKind(expected: expected) }
            // Raw parts point into the line; the name is decoded from them in one go.
            let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            var parts = (last: none, first: none, suffix: none)
            var affiliation: String?
            var index = 0
            var entry = try scanner.beginArray()
            while try scanner.nextElement(in: &entry) {
                defer { index += 1 }
                if try scanner.skipNull() { continue }
                guard scanner.peekKind() == .string else { throw scanner.wrongKind(expected: expected) }
                switch index {
                case 0: parts.last = try scanner.readRawString()
                case 1: parts.first = try scanner.readRawString()
                case 2: parts.suffix = try scanner.readRawString()
                case 3: affiliation = try scanner.readString(collapsingWhitespace: true)
                default: try scanner.skipValue()
                }
            }
            let name = JSONStringDecoder.joined(parts.first, parts.last, parts.suffix)
            guard !name.isEmpty else { continue }
            // The name is already collapsed, so assigning skips `Author.init`'s slower second pass.
            var author = Author(name: "")
            author.name = name
            author.affiliation = affiliation?.nilIfEmpty
            authors.append(author)
        }
        return authors
    }

    /// `[{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, …]`: the highest version,
    /// the first version's date as publication, the latest date as update.
    private mutating func readVersions(_ scanner: inout JSONScanner) throws(JSONSyntaxError) {
        if try scanner.skipNull() { return }
        let expected = "an array of {\"version\", \"created\"} objects"
        guard scanner.peekKind() == .array else { throw scanner.wrongKind(expected: expected) }
        var firstRank = Int.max
        var list = try scanner.beginArray()
        while try scanner.nextElement(in: &list) {
            guard scanner.peekKind() == .object else { throw scanner.wrongKind(expected: expected) }
            var number: Int?
            var created: Date?
            var members = try scanner.beginObject()
            while let key = try scanner.nextKey(in: &members) {
                let isVersion = key.matches("version")
                guard isVersion || key.matches("created") else {
                    try scanner.skipValue()
                    continue
                }
                if try scanner.skipNull() { continue }
                guard scanner.peekKind() == .string else { throw scanner.wrongKind(expected: expected) }
                if isVersion {
                    guard let value = try scanner.withStringBytes(Self.versionNumber) else {
                        throw scanner.wrongValue("has a version that is not v1, v2, …")
                    }
                    number = value
                } else {
                    guard let date = try scanner.withStringBytes(RFC1123Date.parse) else {
                        throw scanner.wrongValue("has a date that is not like \"Mon, 2 Apr 2007 19:18:42 GMT\"")
                    }
                    created = date
                }
            }
            if let number { version = max(version ?? number, number) }
            guard let created else { continue }
            let rank = number ?? Int.max  // unnumbered entries count after numbered ones
            if let current = published, rank > firstRank || (rank == firstRank && created >= current) {
                // an earlier version already gave the publication date
            } else {
                published = created
                firstRank = rank
            }
            updated = max(updated ?? created, created)
        }
    }

    /// `v12` → 12.
    private static func versionNumber(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard text.count >= 2, text.count <= 10, text[0] == UInt8(ascii: "v") else { return nil }
        var value = 0
        for byte in text.dropFirst() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value > 0 ? value : nil
    }

    /// The paper this line describes; throws when a required field is missing or a limit is broken.
    consuming func paper() throws(SnapshotLineProblem) -> Paper {
        guard let id else { throw SnapshotLineProblem(reason: "field \"id\" is missing") }
        guard let arxivID = ArxivIdentifier(id) else {
            throw SnapshotLineProblem(reason: "field \"id\" is not an arXiv identifier: \"\(id.prefix(100))\"")
        }
        guard let title else { throw SnapshotLineProblem(reason: "field \"title\" is missing") }
        var paper = Paper(
            id: PaperID(arxiv: arxivID), title: "", categories: categories, published: published,
            updated: updated, version: version, sources: [.arxivSnapshot])
        // The text fields were collapsed while decoding, exactly as `Paper.init` would collapse
        // them; assigning them here spares a second pass that checks Unicode properties scalar
        // by scalar and would cost more than the whole decoding of the line.
        paper.title = title
        paper.abstract = abstract
        paper.journalRef = journalRef?.nilIfEmpty
        paper.comments = comments?.nilIfEmpty
        paper.doi = doi.flatMap(Self.normalizedDOI)
        if let parsedAuthors, !parsedAuthors.isEmpty {
            paper.authors = parsedAuthors
        } else {
            paper.authors = AuthorList.split(authorList ?? "").map { Author(name: $0) }
        }
        if let problem = paper.validationProblem { throw SnapshotLineProblem(reason: problem) }
        return paper
    }

    /// `DOI.normalize`, with a shortcut for the plain form nearly every line has (`10.1103/PhysRevD.76.013009`),
    /// for which `DOI.normalize` returns the text lowercased.
    static func normalizedDOI(_ text: String) -> String? {
        let utf8 = text.utf8
        let isPlain = utf8.count > 4 && utf8.starts(with: "10.".utf8) && utf8.last != UInt8(ascii: "/")
            && utf8.contains(UInt8(ascii: "/")) && utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
        return isPlain ? text.lowercased() : DOI.normalize(text)
    }
}
