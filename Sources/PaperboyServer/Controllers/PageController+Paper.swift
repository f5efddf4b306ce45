import Foundation
import Hummingbird
import Logging
import PaperboyCore
import Retrieval

extension PageController {
    /// The cookie that remembers a reader's votes without an account.
    static let voterCookie = "paperboy_voter"

    /// The paper id in `/papers/<id>` (and `/papers/<id>/upvote`): everything after
    /// `/papers/`, percent-decoded, so old arXiv ids keep their `/` and `doi:`/`title:` ids
    /// their `:`, escaped or not.
    static func paperID(in request: Request, dropping suffix: String? = nil) -> PaperID? {
        var path = Substring(request.uri.path.dropFirst("/papers/".count))
        if let suffix {
            guard path.hasSuffix(suffix) else { return nil }
            path = path.dropLast(suffix.count)
        }
        guard let text = String(path).removingPercentEncoding, !text.isEmpty else { return nil }
        return PaperID(text)
    }

    /// `/papers/<id>`: the whole paper, its links, BibTeX, similar papers and the upvote.
    func paperPage(_ request: Request, _ requestContext: AppRequestContext) async throws -> Response {
        let logger = requestContext.logger
        guard let id = Self.paperID(in: request), let ranked = try await catalog.paper(id) else {
            throw HTTPError(.notFound, message: "No paper with the id \(request.uri.path.dropFirst("/papers/".count)) is in this library.")
        }
        let paper = ranked.paper
        var context: [String: Any] = [
            "id": paper.id.rawValue,
            "url": PageModels.paperPath(paper.id),
            "title": paper.title,
            "authors": paper.authors.map { ["name": $0.name, "url": PageModels.link("/search", [("author", $0.name)])] },
            "categories": paper.categories.map { ["name": $0, "url": PageModels.link("/", [("cat", $0)])] },
            "abstract": PageModels.paragraphs(paper.abstract),
            "upvotes": ranked.upvotes,
            "bibtex": BibTeX.entry(for: paper),
        ]
        if let published = paper.published { context["published"] = DayWindow.isoDay(published) }
        if let updated = paper.updated, updated != paper.published { context["updated"] = DayWindow.isoDay(updated) }
        if let version = paper.version { context["version"] = version }
        if let doi = paper.doi { context["doi"] = doi; context["doiURL"] = "https://doi.org/" + doi }
        if let journal = paper.journalRef { context["journalRef"] = journal }
        if let comments = paper.comments { context["comments"] = comments }
        if paper.id.kind == .arxiv {
            if let abstractURL = paper.abstractURL.flatMap(Self.webURL) { context["abstractURL"] = abstractURL }
            if let pdfURL = paper.pdfURL.flatMap(Self.webURL) { context["pdfURL"] = pdfURL }
        }
        if let code = paper.links.code.flatMap(Self.webURL) { context["codeURL"] = code }
        if let library { context["save"] = try await library.savePanel(for: paper.id, path: PageModels.paperPath(paper.id), request) }
        // The paper is the page; similar papers are extra: without them it still shows, and the log says why.
        let similar: [SearchHit]
        do {
            similar = try await catalog.similar(to: paper, limit: 9)
        } catch {
            logger.warning("cannot find papers similar to \(paper.id)", metadata: ["error": "\(error)"])
            similar = []
        }
        context["similar"] = similar.filter { $0.paper.id != paper.id }.prefix(8).enumerated().map { offset, hit in
            PageModels.card(hit.paper, rank: offset + 1, upvotes: hit.paper.upvotes ?? 0)
        }
        context["hasSimilar"] = (context["similar"] as? [[String: Any]])?.isEmpty == false
        var response = htmlResponse(try htmlPage("paper", context, for: requestContext.visitor))
        // The page holds this visitor's CSRF token: no shared cache may hand it to another.
        response.headers[.cacheControl] = "private, no-store"
        return response
    }

    /// `POST /papers/<id>/upvote`: one vote per reader: a signed-in reader votes as
    /// `reader:<id>`, anyone else as a random id in an HttpOnly cookie. A form gets 303 back
    /// to the paper; a script asking for JSON gets `{"upvotes": N}`. A post from another
    /// site (its `Origin` names another host) is refused, as is one without the visitor's
    /// CSRF token (`CSRFMiddleware`).
    func upvote(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.paperID(in: request, dropping: "/upvote") else {
            throw HTTPError(.notFound, message: "Nothing to post to at \(request.uri.path).")
        }
        guard Self.isSameOrigin(request) else {
            throw HTTPError(.forbidden, message: "Votes are only accepted from this site's own pages.")
        }
        let existing = request.cookies[Self.voterCookie]?.value
        let anonymous = existing.flatMap(Self.validVoter) ?? UUID().uuidString.lowercased()
        let voter = context.visitor.reader.map { "reader:\($0.id)" } ?? anonymous
        guard try await catalog.upvote(id, voter: voter) != nil,
              let ranked = try await catalog.paper(id) else {
            throw HTTPError(.notFound, message: "No paper with the id \(id.rawValue) is in this library.")
        }
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if context.visitor.reader == nil, existing.flatMap(Self.validVoter) == nil {
            headers[.setCookie] = Self.voterCookieHeader(anonymous, secure: Self.isHTTPS(request))
        }
        if request.headers[.accept]?.contains("application/json") == true {
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"upvotes\":\(ranked.upvotes)}")))
        }
        headers[.location] = PageModels.paperPath(ranked.paper.id) + "#upvote"
        return Response(status: .seeOther, headers: headers)
    }

    /// `link` when it is an http(s) address: a source could hand us `javascript:` too.
    static func webURL(_ link: String) -> String? {
        let lowered = link.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://") ? link : nil
    }

    /// A voter id as this server makes them (a lowercased UUID); anything else is replaced.
    static func validVoter(_ text: String) -> String? {
        guard text.count <= 64, !text.isEmpty,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return text
    }

    static func voterCookieHeader(_ voter: String, secure: Bool) -> String {
        "\(voterCookie)=\(voter); Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// Whether the request came over HTTPS, directly or through a proxy that says so.
    static func isHTTPS(_ request: Request) -> Bool {
        if request.head.scheme == "https" { return true }
        guard let proto = header("x-forwarded-proto", of: request) else { return false }
        return proto.split(separator: ",").first?.trimmingCharacters(in: CharacterSet.whitespaces).lowercased() == "https"
    }

    /// False when an `Origin` header names a host other than the one the request was sent to
    /// (the `Host`, or the `X-Forwarded-Host` a reverse proxy passes on).
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let components = URLComponents(string: origin), let originHost = components.host else { return false }
        let hosts = [request.head.authority ?? header("host", of: request),
                     header("x-forwarded-host", of: request)?.split(separator: ",").first.map {
                         $0.trimmingCharacters(in: CharacterSet.whitespaces)
                     }]
        let wanted = originHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return hosts.contains { $0.map(hostname(of:)) == wanted }
    }

    /// The host of a `Host` value without its port (`[::1]:8080` → `::1`).
    static func hostname(of authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let close = lowered.firstIndex(of: "]") {
            return String(lowered[lowered.index(after: lowered.startIndex)..<close])
        }
        return String(lowered.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// A header by its lowercase name (for names HTTPTypes has no constant for).
    static func header(_ name: String, of request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }
}
