import Foundation

/// Saves the papers a library file names into a reader's library and says, line by line,
/// what happened: imported, already there, or skipped and why. Nothing is dropped silently:
/// a paper this Paperboy does not hold is reported (`line 12: 2401.99999 is not in this
/// Paperboy`), as is every malformed entry; the rest is imported.
public struct LibraryImporter: Sendable {
    public let store: any LibraryStore

    public init(store: any LibraryStore) { self.store = store }

    /// Imports `text` (BibTeX or an id list, see `LibraryFile`). Papers go under the tags the
    /// file gives them when `keepingFileTags`, else, and when it gives none, under `tag`.
    public func importText(_ text: String, for reader: ReaderID, into tag: LibraryTag, keepingFileTags: Bool = true,
                           at now: Date) async throws -> LibraryImportReport {
        let file = LibraryFile.read(text)
        var report = LibraryImportReport(skipped: file.problems)
        // Papers grouped by tag in the order the tags first appear, so each tag is one save.
        var order: [LibraryTag] = []
        var byTag: [LibraryTag: [LibraryFileItem]] = [:]
        for item in file.items {
            var tags: [LibraryTag] = []
            if keepingFileTags {
                for name in item.tags {
                    do {
                        tags.append(try LibraryTag(name))
                    } catch let error as PaperboyError {
                        report.skipped.append(LibraryFileProblem(line: item.line, reason: "\(error.message); filed under \"\(tag)\" instead"))
                    }
                }
            }
            for chosen in tags.isEmpty ? [tag] : tags {
                if byTag[chosen] == nil { order.append(chosen) }
                byTag[chosen, default: []].append(item)
            }
        }
        for chosen in order {
            let items = byTag[chosen] ?? []
            let outcome = try await store.save(items.map(\.paper), under: chosen, for: reader, at: now)
            for (item, result) in zip(items, outcome.papers) {
                switch result {
                case .added(let id):
                    report.imported.append(.init(line: item.line, paper: id, tag: outcome.tag, wasSaved: false))
                case .alreadySaved(let id):
                    report.imported.append(.init(line: item.line, paper: id, tag: outcome.tag, wasSaved: true))
                case .unknown:
                    report.skipped.append(LibraryFileProblem(line: item.line, reason: "\(item.label) is not in this Paperboy"))
                }
            }
        }
        report.imported.sort { ($0.line, $0.tag) < ($1.line, $1.tag) }
        report.skipped.sort { $0.line < $1.line }
        return report
    }
}

/// What an import did, in the order of the file's lines.
public struct LibraryImportReport: Sendable, Hashable {
    /// A paper saved under a tag by the import.
    public struct Imported: Sendable, Hashable {
        public var line: Int
        public var paper: PaperID
        public var tag: String
        /// Whether the paper was under the tag before the import.
        public var wasSaved: Bool
    }

    public var imported: [Imported] = []
    public var skipped: [LibraryFileProblem] = []

    public init(imported: [Imported] = [], skipped: [LibraryFileProblem] = []) {
        self.imported = imported
        self.skipped = skipped
    }
}
