import Foundation

/// A paper an imported file names: where, by which id, under which of the file's tags.
public struct LibraryFileItem: Sendable, Hashable {
    public var line: Int
    public var paper: PaperID
    /// The tags the file gives it (BibTeX `keywords`, the `# tag` line above an id), as
    /// written; empty when the file gives none.
    public var tags: [String]
    /// How a person recognizes the paper in the file: its id, or for a paper found by
    /// title alone, the title.
    public var label: String

    public init(line: Int, paper: PaperID, tags: [String], label: String? = nil) {
        self.line = line
        self.paper = paper
        self.tags = tags
        self.label = label ?? paper.rawValue
    }
}

/// A line of an imported file that names no paper Paperboy can look up, and why.
public struct LibraryFileProblem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// A library file read: the papers it names and the lines that name none. Pure: which of
/// the papers the store holds is the importer's question.
///
/// Two formats, told apart by content: BibTeX (any line starting with `@type{`), else a
/// list of ids, one a line (new and old arXiv ids, `arXiv:` prefixes, arxiv.org URLs,
/// versions, `doi:` and `title:` ids), where a `# tag` line files the ids below it.
public struct LibraryFile: Sendable, Hashable {
    public var items: [LibraryFileItem]
    public var problems: [LibraryFileProblem]

    public init(items: [LibraryFileItem] = [], problems: [LibraryFileProblem] = []) {
        self.items = items
        self.problems = problems
    }

    public static func read(_ text: String) -> LibraryFile {
        isBibTeX(text) ? readBibTeX(text) : readIDList(text)
    }

    static func isBibTeX(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).contains { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard trimmed.first == "@" else { return false }
            let type = trimmed.dropFirst().prefix { $0.isLetter }
            let rest = trimmed.dropFirst(1 + type.count).drop { $0 == " " || $0 == "\t" }
            return !type.isEmpty && (rest.first == "{" || rest.first == "(")
        }
    }

    // MARK: BibTeX

    static func readBibTeX(_ text: String) -> LibraryFile {
        let (entries, problems) = BibTeXReader.read(text)
        var file = LibraryFile(problems: problems.map { LibraryFileProblem(line: $0.line, reason: $0.reason) })
        for entry in entries {
            guard let id = paperID(of: entry) else {
                let name = entry.key.isEmpty ? "@\(entry.type)" : entry.key
                file.problems.append(LibraryFileProblem(
                    line: entry.line, reason: "\(name) has no arXiv id, DOI or title to find the paper by"))
                continue
            }
            let tags = (entry.text("keywords") ?? "").split(separator: ",").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
            let label = id.kind == .title ? "\"\(entry.text("title") ?? id.rawValue)\"" : id.rawValue
            file.items.append(LibraryFileItem(line: entry.line, paper: id, tags: tags, label: label))
        }
        return file
    }

    /// The strongest id an entry gives: an arXiv id wherever tools put one (`eprint`,
    /// `arxiv`, `arxivid`, an arxiv.org `url`, an arXiv DOI `10.48550/arXiv.…`, or
    /// "arXiv:…" in `journal`, `note`, `howpublished`), else its DOI, else its title.
    public static func paperID(of entry: BibTeXEntry) -> PaperID? {
        for field in ["eprint", "arxiv", "arxivid"] {
            if let value = entry.text(field), let id = ArxivIdentifier(value) ?? arxivID(inText: value) {
                return PaperID(arxiv: id)
            }
        }
        for field in ["url", "doi", "journal", "note", "howpublished", "booktitle", "volume", "pdf"] {
            if let value = entry.text(field), let id = arxivID(inText: value) { return PaperID(arxiv: id) }
        }
        if let doi = entry.text("doi").flatMap(cleanDOI), let id = PaperID(doi: doi) { return id }
        if let title = entry.text("title") { return PaperID(title: title) }
        return nil
    }

    /// The arXiv id after `arXiv:`, `arxiv.org/abs/`, `arxiv.org/pdf/` or `10.48550/arXiv.`
    /// in free text, without its version.
    static func arxivID(inText text: String) -> ArxivIdentifier? {
        for marker in ["arxiv.org/abs/", "arxiv.org/pdf/", "10.48550/arxiv.", "arxiv:"] {
            var searchStart = text.startIndex
            while let range = text.range(of: marker, options: .caseInsensitive, range: searchStart..<text.endIndex) {
                let rest = text[range.upperBound...].drop { $0 == " " }
                var token = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "./-".contains($0)) }
                while let last = token.last, ".-/".contains(last) { token = token.dropLast() }
                if token.hasSuffix(".pdf") { token = token.dropLast(4) }
                if let id = ArxivIdentifier(String(token)) { return id }
                searchStart = range.upperBound
            }
        }
        return nil
    }

    /// A DOI field as people write it: bare, `doi:`-prefixed or as a resolver URL.
    static func cleanDOI(_ text: String) -> String? {
        var doi = Substring(text.trimmingWhitespace)
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"]
        where doi.lowercased().hasPrefix(prefix) {
            doi = doi.dropFirst(prefix.count)
        }
        return doi.hasPrefix("10.") ? String(doi) : nil
    }

    // MARK: Id lists

    static func readIDList(_ text: String) -> LibraryFile {
        var file = LibraryFile()
        var tag: String?
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = rawLine.trimmingWhitespace
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let name = line.drop { $0 == "#" }.trimmingWhitespace
                tag = name.isEmpty ? nil : name
                continue
            }
            // Ids first; anything after the first word that is not an id (a title, a note)
            // is the reader's and is ignored.
            let words = line.split { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" }
            var found = 0
            for word in words {
                guard let id = PaperID(String(word)) ?? arxivID(inText: String(word)).map(PaperID.init(arxiv:)) else { break }
                file.items.append(LibraryFileItem(line: number, paper: id, tags: tag.map { [$0] } ?? []))
                found += 1
            }
            if found == 0 {
                let word = words.first.map(String.init) ?? line
                file.problems.append(LibraryFileProblem(line: number, reason: "\"\(word.prefix(80))\" is not an arXiv id"))
            }
        }
        return file
    }
}
