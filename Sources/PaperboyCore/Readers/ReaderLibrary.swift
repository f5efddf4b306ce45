import Foundation

/// A reader with an account, as the store numbers them.
public struct ReaderID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// One paper a reader saved under one tag ("to read", "MoE"). A paper saved under two tags
/// is two `SavedPaper`s.
public struct SavedPaper: Sendable, Hashable {
    public var paper: PaperID
    public var tag: String
    public var savedAt: Date

    public init(paper: PaperID, tag: String, savedAt: Date) {
        self.paper = paper
        self.tag = tag
        self.savedAt = savedAt
    }
}

/// Everything a reader saved, with a revision that changes whenever the library does, so a
/// model trained on it (recommendations) knows when it is stale without comparing contents.
public struct ReaderLibrary: Sendable, Hashable {
    public var reader: ReaderID
    /// Advanced by every save and removal in this reader's library.
    public var revision: Int64
    /// Oldest save first.
    public var saved: [SavedPaper]

    public init(reader: ReaderID, revision: Int64, saved: [SavedPaper]) {
        self.reader = reader
        self.revision = revision
        self.saved = saved
    }

    /// The tags in the order their first paper was saved, each with its papers oldest first.
    public var tags: [(tag: String, papers: [PaperID])] {
        var order: [String] = []
        var papers: [String: [PaperID]] = [:]
        for entry in saved {
            if papers[entry.tag] == nil { order.append(entry.tag) }
            papers[entry.tag, default: []].append(entry.paper)
        }
        return order.map { ($0, papers[$0] ?? []) }
    }
}

extension ReaderLibrary {
    /// The papers saved under `tag` (whatever its case), newest save first: a tag's page
    /// shows what was filed last at the top.
    public func saved(under tag: LibraryTag) -> [SavedPaper] {
        let key = tag.key
        return saved.filter { LibraryTag.key(of: $0.tag) == key }.reversed()
    }

    /// The tags each paper is saved under, in the order they were first used, for exports
    /// that write one entry per paper; papers in the order of their first save.
    public var tagsByPaper: [(paper: PaperID, tags: [String])] {
        var order: [PaperID] = []
        var tags: [PaperID: [String]] = [:]
        for entry in saved {
            if tags[entry.paper] == nil { order.append(entry.paper) }
            tags[entry.paper, default: []].append(entry.tag)
        }
        return order.map { ($0, tags[$0] ?? []) }
    }
}
