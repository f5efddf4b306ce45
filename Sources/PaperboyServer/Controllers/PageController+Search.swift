import Foundation
import Hummingbird
import PaperboyCore
import Retrieval

extension PageController {
    /// `/search`: hybrid (or keyword) results with highlighted snippets, the form's filters,
    /// order, mode and pages. A query that does not parse is shown on the page with its
    /// column marked (status 400), so the reader can fix it where they typed it.
    func search(_ request: Request, for visitor: Visitor) async throws -> Response {
        try await cachedPage(request, .search, for: visitor) { try await renderSearch(request, for: $0) }
    }

    private func renderSearch(_ request: Request, for visitor: Visitor) async throws -> RenderedBody {
        let searchRequest = try SearchRequest(Parameters(request))
        let semantic = catalog.searchesByMeaning
        var context = form(searchRequest, semantic: semantic)
        do {
            let results = try await catalog.search(searchRequest)
            context["searched"] = !searchRequest.isEmpty
            context["modeUsed"] = results.mode.rawValue
            context["keywordsOnly"] = results.keywordsOnly || !semantic
            let start = (searchRequest.page - 1) * searchRequest.pageSize
            context["hits"] = results.hits.enumerated().map { offset, hit in
                let snippet = hit.snippet.marked(open: "<mark>", close: "</mark>", escape: htmlEscape)
                return PageModels.card(hit.paper, rank: start + offset + 1, upvotes: hit.paper.upvotes ?? 0,
                                       snippetHTML: snippet.isEmpty ? nil : snippet)
            }
            context["hasHits"] = !results.hits.isEmpty
            context["noHits"] = !searchRequest.isEmpty && results.hits.isEmpty
            context["hasFilters"] = searchRequest.since != nil || searchRequest.until != nil
                || searchRequest.category != nil || searchRequest.author != nil
            context["withoutFilters"] = PageModels.link("/search", [("q", searchRequest.query.nilIfEmpty)])
            context["pagination"] = PageModels.pagination(page: searchRequest.page, hasMore: results.hasMore) {
                Self.searchLink(searchRequest, page: $0)
            }
            return try htmlPage("search", context, for: visitor)
        } catch let error as ParameterError where error.parameter == "q" && error.column != nil {
            context["syntaxError"] = [
                "message": error.message,
                "column": error.column ?? 1,
                "queryHTML": Self.markedColumn(searchRequest.query, column: error.column ?? 1),
            ] as [String: Any]
            return try htmlPage("search", context, for: visitor, status: .badRequest)
        }
    }

    /// The form's values as the template shows them.
    private func form(_ request: SearchRequest, semantic: Bool) -> [String: Any] {
        let modes: [SearchMode] = semantic ? SearchMode.allCases : [.keyword]
        let chosenMode = request.mode ?? (semantic ? catalog.engine.defaultMode : .keyword)
        var form: [String: Any] = [
            "navSearch": true,
            "query": request.query,
            "sorts": SearchRequest.Sort.allCases.map {
                ["value": $0.rawValue, "name": $0 == .relevance ? "Relevance" : "Newest first", "selected": $0 == request.sort]
            },
            "modes": modes.map { ["value": $0.rawValue, "name": $0.rawValue.capitalized, "selected": $0 == chosenMode] },
            "semantic": semantic,
        ]
        if let since = request.since { form["since"] = DayWindow.isoDay(since) }
        if let until = request.until { form["until"] = DayWindow.isoDay(until) }
        if let category = request.category { form["category"] = category }
        if let author = request.author { form["author"] = author }
        return form
    }

    /// The same search on another page.
    static func searchLink(_ request: SearchRequest, page: Int) -> String {
        PageModels.link("/search", [
            ("q", request.query.nilIfEmpty), ("mode", request.mode?.rawValue),
            ("since", request.since.map(DayWindow.isoDay)), ("until", request.until.map(DayWindow.isoDay)),
            ("cat", request.category), ("author", request.author),
            ("sort", request.sort == .relevance ? nil : request.sort.rawValue),
            ("size", request.pageSize == 20 ? nil : String(request.pageSize)), ("page", String(page)),
        ])
    }

    /// The query, escaped, with the character at the 1-based `column` in a `<mark>` (a
    /// marked space when the column is just past the end: "expected more here") and a caret
    /// under it on the next line of the `<pre>`.
    static func markedColumn(_ query: String, column: Int) -> String {
        let characters = Array(query)
        let index = min(max(column - 1, 0), characters.count)
        let before = String(characters[..<index])
        let at = index < characters.count ? String(characters[index]) : " "
        let after = index < characters.count ? String(characters[(index + 1)...]) : ""
        let caret = String(repeating: " ", count: index) + "^"
        return htmlEscape(before) + "<mark class=\"error-column\">" + htmlEscape(at) + "</mark>" + htmlEscape(after)
            + "\n<span class=\"caret\">" + caret + "</span>"
    }

    /// `/search/suggest?q=`: completions of the last word typed, as a JSON array of titles.
    func suggest(_ request: Request) async throws -> Response {
        let prefix = try Parameters(request).string("q", maxLength: SearchRequest.maxQueryLength) ?? ""
        let suggestions = try await catalog.suggestions(for: prefix)
        let data = try JSONSerialization.data(withJSONObject: suggestions)
        return Response(status: .ok,
                        headers: [.contentType: "application/json; charset=utf-8", .xContentTypeOptions: "nosniff",
                                  .cacheControl: "private, max-age=60"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
