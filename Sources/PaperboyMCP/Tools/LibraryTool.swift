import Foundation
import MCP
import PaperboyCore
import PaperboyServer

/// The reader whose library the server shows. There is one per server, named when it starts
/// (`paperboy mcp --reader EMAIL`): the web app signs readers in with session cookies, which
/// assistants' clients do not carry, so there is no per-request reader to find.
public struct ReaderShelf: Sendable {
    public let email: String
    let library: @Sendable () async throws -> ReaderLibrary

    public init(email: String, library: @escaping @Sendable () async throws -> ReaderLibrary) {
        self.email = email
        self.library = library
    }
}

/// `library`: the papers the reader saved, with their tags.
struct LibraryTool: PaperboyTool {
    let catalog: PaperCatalog
    let shelf: ReaderShelf?

    var definition: Tool {
        Tool(name: "library", title: "The reader's library",
             description: "The papers the reader saved in Paperboy, newest save first, each with its tags, and the reader's tags with their counts.",
             inputSchema: JSONSchema.object([
                 ("tag", JSONSchema.string("Only papers saved under this tag (any case).")),
             ]),
             annotations: .init(readOnlyHint: true, openWorldHint: false))
    }

    func call(_ arguments: ToolArguments) async throws -> any ToolAnswer {
        let tag: LibraryTag?
        do {
            tag = try arguments.string("tag", maxLength: LibraryTag.maximumLength * 4).map(LibraryTag.init)
        } catch let error as PaperboyError {
            throw ToolFailure("Invalid argument \(error.message)")
        }
        guard let shelf else {
            throw ToolFailure("No reader is named, so there is no library to show: start the server with `paperboy mcp --reader EMAIL`.")
        }
        let library = try await shelf.library()
        let papers = try await catalog.store.papers(ids: library.saved.map(\.paper))
        return LibraryAnswer(reader: shelf.email, library: library, papers: papers, tag: tag)
    }
}

struct LibraryAnswer: ToolAnswer {
    struct TagCount: Codable, Sendable, Equatable {
        var name: String
        var count: Int
    }

    struct Entry: Codable, Sendable, Equatable {
        var paper: PaperSummary
        var tags: [String]
        /// `yyyy-MM-dd` of the latest save.
        var savedAt: String
    }

    var reader: String
    var tag: String?
    var tags: [TagCount]
    var papers: [Entry]

    /// The library's papers, newest save first, one entry per paper with all its tags;
    /// only those under `tag` when one is given. Papers the store no longer holds are left out.
    init(reader: String, library: ReaderLibrary, papers: [PaperID: Paper], tag: LibraryTag?) {
        self.reader = reader
        self.tag = tag?.name
        tags = library.tags.map { TagCount(name: $0.tag, count: $0.papers.count) }
        var entries: [PaperID: Entry] = [:]
        var order: [PaperID] = []
        for saved in library.saved.reversed() {
            guard let paper = papers[saved.paper] else { continue }
            if entries[saved.paper] == nil {
                order.append(saved.paper)
                entries[saved.paper] = Entry(paper: PaperSummary(paper), tags: [], savedAt: UTCDay.string(saved.savedAt))
            }
            entries[saved.paper]?.tags.insert(saved.tag, at: 0)
        }
        let key = tag?.key
        self.papers = order.compactMap { entries[$0] }
            .filter { entry in key.map { key in entry.tags.contains { LibraryTag.key(of: $0) == key } } ?? true }
    }

    var text: String {
        let scope = tag.map { " under \"\($0)\"" } ?? ""
        let list = PaperListText.render("Papers \(reader) saved\(scope), newest first:", papers.map(\.paper),
                                        empty: "\(reader) has saved no papers\(scope).")
        guard !tags.isEmpty else { return list }
        return list + "\n\nTags: " + tags.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
    }
}
