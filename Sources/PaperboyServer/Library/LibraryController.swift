import Foundation
import Hummingbird
import Logging
import PaperboyCore

/// A reader's library on the web: saving a paper under a tag from its page, a page of tags,
/// a page per tag, BibTeX and id-list exports, and imports of both.
///
/// Every page here is the signed-in reader's own: nobody signed in is sent to sign in (and
/// back), and no page is cached. Forms carry the request's CSRF token; checking it is the
/// app's middleware's business, not the library's.
struct LibraryController {
    let catalog: PaperCatalog
    let views: Views
    let access: LibraryAccess

    /// The largest import accepted: a BibTeX file of a few thousand entries.
    static let maxImportBytes = 4 << 20
    /// The largest other form (a tag and a token).
    static let maxFormBytes = 16 << 10

    func register(on router: Router<AppRequestContext>) {
        router.post("/papers/**/save") { request, context in try await save(request, logger: context.logger) }
        router.post("/papers/**/unsave") { request, _ in try await unsave(request) }
        router.get("/library") { request, _ in try await tags(request) }
        router.get("/library/export.bib") { request, _ in try await export(request, as: .bibTeX) }
        router.get("/library/export.txt") { request, _ in try await export(request, as: .idList) }
        router.post("/library/import") { request, context in try await importFile(request, logger: context.logger) }
        router.get("/library/{tag}") { request, _ in try await tagPage(request) }
    }

    // MARK: Saving and removing

    /// `POST /papers/<id>/save` with `tag` (default "to read"): back to the paper.
    func save(_ request: Request, logger: Logger) async throws -> Response {
        guard let id = PageController.paperID(in: request, dropping: "/save") else {
            throw HTTPError(.notFound, message: "Nothing to post to at \(request.uri.path).")
        }
        let paperPath = PageModels.paperPath(id)
        guard let reader = try await access.reader(request) else { return Self.signInRedirect(returningTo: paperPath) }
        let form = try await FormBody.read(request, limit: Self.maxFormBytes)
        let tag = try Self.tag(form["tag"], default: .toRead)
        guard let saved = try await access.store.save(id, under: tag, for: reader, at: Date()) else {
            throw HTTPError(.notFound, message: "No paper with the id \(id.rawValue) is in this library.")
        }
        logger.info("paper saved", metadata: ["reader": "\(reader)", "paper": "\(saved.paper)"])
        return Self.redirect(to: Self.localPath(form["next"]) ?? PageModels.paperPath(saved.paper) + "#save")
    }

    /// `POST /papers/<id>/unsave` with `tag` (every tag when absent) and an optional local
    /// `next` address to return to (the tag page its remove button is on).
    func unsave(_ request: Request) async throws -> Response {
        guard let id = PageController.paperID(in: request, dropping: "/unsave") else {
            throw HTTPError(.notFound, message: "Nothing to post to at \(request.uri.path).")
        }
        let paperPath = PageModels.paperPath(id)
        guard let reader = try await access.reader(request) else { return Self.signInRedirect(returningTo: paperPath) }
        let form = try await FormBody.read(request, limit: Self.maxFormBytes)
        let given = form["tag"].flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0 }
        let tag = try given.map { try Self.tag($0, default: .toRead) }
        _ = try await access.store.remove(id, from: tag, for: reader)
        return Self.redirect(to: Self.localPath(form["next"]) ?? paperPath + "#save")
    }

    // MARK: Pages

    /// `/library`: the reader's tags with their counts, exports and the import form.
    func tags(_ request: Request) async throws -> Response {
        guard let reader = try await access.reader(request) else { return Self.signInRedirect(returningTo: "/library") }
        let summaries = try await access.store.tagSummaries(of: reader)
        let context: [String: Any] = [
            "csrf": access.csrf(request),
            "navLibrary": true,
            "tags": summaries.map { summary -> [String: Any] in
                ["name": summary.name, "count": summary.count, "url": Self.tagPath(summary.name),
                 "lastSaved": DayWindow.isoDay(summary.lastSaved),
                 "exportBib": PageModels.link("/library/export.bib", [("tag", summary.name)]),
                 "exportTxt": PageModels.link("/library/export.txt", [("tag", summary.name)])]
            },
            "hasTags": !summaries.isEmpty,
            "defaultTag": LibraryTag.toRead.name,
        ]
        return try page("library", context)
    }

    /// `/library/<tag>`: the tag's papers as cards, newest save first, each with a remove button.
    func tagPage(_ request: Request) async throws -> Response {
        let path = request.uri.path
        guard let reader = try await access.reader(request) else { return Self.signInRedirect(returningTo: path) }
        let segment = path.dropFirst("/library/".count)
        guard let name = String(segment).removingPercentEncoding, let tag = try? LibraryTag(name) else {
            throw HTTPError(.notFound, message: "There is no tag \(segment) in your library.")
        }
        let saved = try await access.store.library(of: reader).saved(under: tag)
        guard let first = saved.first else {
            throw HTTPError(.notFound, message: "There is no tag \(tag.name) in your library.")
        }
        let papers = try await catalog.store.papers(ids: saved.map(\.paper))
        let votes = try await catalog.store.upvoteCounts(for: saved.map(\.paper))
        let csrf = access.csrf(request)
        let tagPath = Self.tagPath(first.tag)
        let cards = saved.enumerated().compactMap { offset, entry -> [String: Any]? in
            guard let paper = papers[entry.paper] else { return nil }
            var card = PageModels.card(paper, rank: offset + 1, upvotes: votes[paper.id] ?? 0)
            card["saved"] = ["tag": entry.tag, "savedOn": DayWindow.isoDay(entry.savedAt), "csrf": csrf,
                             "action": PageModels.paperPath(paper.id) + "/unsave", "next": tagPath]
            return card
        }
        return try page("library-tag", [
            "csrf": csrf, "navLibrary": true, "tag": first.tag, "papers": cards, "count": cards.count,
            "exportBib": PageModels.link("/library/export.bib", [("tag", first.tag)]),
            "exportTxt": PageModels.link("/library/export.txt", [("tag", first.tag)]),
        ])
    }

    // MARK: Helpers

    func page(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        try views.personalPage(template, context, status: status)
    }

    /// A tag from a form field; a blank field is `fallback`, a bad one a 400 naming `tag`.
    static func tag(_ text: String?, default fallback: LibraryTag) throws -> LibraryTag {
        guard let text, !text.trimmingWhitespace.isEmpty else { return fallback }
        do {
            return try LibraryTag(text)
        } catch let error as PaperboyError {
            throw ParameterError("tag", String(error.message.dropFirst("tag: ".count)))
        }
    }

    /// `/library/<tag>` with the tag escaped as one path segment (a `/` in it included).
    static func tagPath(_ tag: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return "/library/" + (tag.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    static func signInLink(returningTo path: String) -> String {
        PageModels.link("/signin", [("next", path)])
    }

    static func signInRedirect(returningTo path: String) -> Response {
        redirect(to: signInLink(returningTo: path))
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// `next` when it is an address on this site (`/…` but not `//host/…`), so a form
    /// cannot be made to send the reader elsewhere.
    static func localPath(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        return next
    }
}
