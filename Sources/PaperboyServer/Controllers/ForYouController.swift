import Foundation
import Hummingbird
import PaperboyCore

/// "For you": `GET /for-you`, per tag of the signed-in reader's library the papers its
/// model recommends, each with its reason, and `GET /api/for-you`, the same as JSON (for
/// scripts; outside `/api/v1`, which is the public catalog, because it answers for the
/// reader of the session). Who is signed in and what they saved come from the closures given
/// at registration, so this page depends on neither accounts nor the library store.
struct ForYouController {
    let sources: ForYouSources
    let catalog: PaperCatalog
    let views: Views

    var recommendations: ReaderRecommendations { sources.recommendations }
    func reader(_ request: Request) async throws -> ReaderID? { try await sources.reader(request) }
    func library(_ reader: ReaderID) async throws -> ReaderLibrary { try await sources.library(reader) }

    /// Papers per tag on the page, and at most through the API's `size`.
    static let pagePapers = 10

    func register(on router: Router<AppRequestContext>) {
        router.get("/for-you") { request, _ in try await page(request) }
        router.get("/api/for-you") { request, _ in try await json(request) }
    }

    /// A personal answer: never stored by a shared cache, nor by the browser.
    static let privateHeaders: HTTPFields = [.cacheControl: "private, no-store"]

    private func page(_ request: Request) async throws -> Response {
        guard let reader = try await reader(request) else {
            return Response(status: .seeOther, headers: [.location: "/signin?next=/for-you", .cacheControl: "no-store"])
        }
        let library = try await library(reader)
        var context: [String: Any] = ["navForYou": true]
        if library.saved.isEmpty {
            context["emptyLibrary"] = true
        } else {
            let forYou = try await recommendations.forYou(library)
            let shown = forYou.sections.flatMap { $0.recommendations.papers.prefix(Self.pagePapers).map(\.paper.id) }
            let votes = try await catalog.store.upvoteCounts(for: shown)
            context["sections"] = ForYouPageModel.sections(forYou, perTag: Self.pagePapers, siteVotes: votes)
        }
        var headers = PageController.htmlHeaders
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: try views.render("for-you", context))))
    }

    private func json(_ request: Request) async throws -> Response {
        guard let reader = try await reader(request) else {
            throw HTTPError(.unauthorized, message: "Sign in to see the papers recommended for you.")
        }
        let size = try Parameters(request).integer("size", default: Self.pagePapers, in: 1...recommendations.settings.depth)
        let library = try await library(reader)
        let forYou = library.saved.isEmpty ? ForYou(revision: library.revision, sections: [])
            : try await recommendations.forYou(library)
        let shown = forYou.sections.flatMap { $0.recommendations.papers.prefix(size).map(\.paper.id) }
        let votes = shown.isEmpty ? [:] : try await catalog.store.upvoteCounts(for: shown)
        var response = try APIJSON.response(ForYouResponse(forYou, size: size, siteVotes: votes))
        response.headers[.cacheControl] = "private, no-store"
        return response
    }
}

/// What "For you" needs from the rest of the app: the recommendations, who is signed in,
/// and what they saved. Accounts and libraries live elsewhere; whoever assembles the server
/// passes them in as closures, so this page depends on neither.
public struct ForYouSources: Sendable {
    public var recommendations: ReaderRecommendations
    /// The signed-in reader of a request, nil when signed out.
    public var reader: @Sendable (Request) async throws -> ReaderID?
    /// A reader's library as it is now.
    public var library: @Sendable (ReaderID) async throws -> ReaderLibrary

    public init(recommendations: ReaderRecommendations,
                reader: @escaping @Sendable (Request) async throws -> ReaderID?,
                library: @escaping @Sendable (ReaderID) async throws -> ReaderLibrary) {
        self.recommendations = recommendations
        self.reader = reader
        self.library = library
    }
}

/// The page's values: a section per tag, cards numbered through the whole page (their
/// numbers are also their element ids), each card with its reason.
enum ForYouPageModel {
    static func sections(_ forYou: ForYou, perTag: Int, siteVotes: [PaperID: Int]) -> [[String: Any]] {
        var rank = 0
        return forYou.sections.enumerated().map { number, section in
            let cards = section.recommendations.papers.prefix(perTag).map { recommended -> [String: Any] in
                rank += 1
                var card = PageModels.card(recommended.paper, rank: rank,
                                           upvotes: (recommended.paper.upvotes ?? 0) + (siteVotes[recommended.paper.id] ?? 0))
                card["reason"] = ["title": recommended.likeTitle, "url": PageModels.paperPath(recommended.like),
                                  "tag": recommended.tag]
                return card
            }
            var model: [String: Any] = ["number": number + 1, "tag": section.tag, "papers": cards, "hasPapers": !cards.isEmpty]
            switch section.status {
            case .current: model["noneYet"] = cards.isEmpty
            case .updating: model["updating"] = true
            case .preparing: model["preparing"] = true
            }
            return model
        }
    }
}
