import Hummingbird
import PaperboyCore

/// What the library's pages need from the rest of the app, handed in where the app is
/// assembled: the store of libraries, who is signed in, and the form token of the request.
/// Accounts and their sessions live elsewhere; the library only asks these two questions.
public struct LibraryAccess: Sendable {
    public var store: any LibraryStore
    /// The signed-in reader of a request, nil when nobody is (their pages then ask to sign in).
    public var reader: @Sendable (Request) async throws -> ReaderID?
    /// The CSRF token every state-changing form of the request's page carries.
    public var csrf: @Sendable (Request) -> String

    public init(store: any LibraryStore, reader: @escaping @Sendable (Request) async throws -> ReaderID?,
                csrf: @escaping @Sendable (Request) -> String) {
        self.store = store
        self.reader = reader
        self.csrf = csrf
    }

    /// The paper page's "Save" panel: a form with the reader's tags to pick from and the
    /// tags the paper is under, each with a remove button; for nobody signed in, a link
    /// to sign in. Paper pages render it when the app has a library.
    func savePanel(for paper: PaperID, path: String, _ request: Request) async throws -> [String: Any] {
        guard let reader = try await reader(request) else {
            return ["signIn": LibraryController.signInLink(returningTo: path)]
        }
        let library = try await store.library(of: reader)
        let tags = library.tags
        let csrf = csrf(request)
        return ["form": [
            "action": path + "/save",
            "csrf": csrf,
            "defaultTag": LibraryTag.toRead.name,
            "tags": tags.map { ["name": $0.tag] },
            "savedUnder": tags.filter { $0.papers.contains(paper) }.map { tag -> [String: Any] in
                ["name": tag.tag, "url": LibraryController.tagPath(tag.tag), "action": path + "/unsave", "csrf": csrf]
            },
        ] as [String: Any]]
    }
}
