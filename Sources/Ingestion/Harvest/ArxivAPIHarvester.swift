import Foundation
import Logging
import PaperboyCore

/// Fetches what one request to arXiv's API (`api/query`, Atom) names: a search or a list of ids,
/// for targeted fetches beside the bulk OAI-PMH harvest, page by page with `start` and
/// `max_results`.
///
/// Each page's papers and the cursor to the next page are stored in one transaction (the cursor
/// is named by the request; its token is the next `start`, or for an id list the index of the
/// next id), so a failed run is resumed by the next run of the same request at the first page
/// not stored. Requests of one run start at least `interval` apart, as arXiv asks.
///
/// arXiv is known to answer a page inside a list with no entries at all, now and then, and the
/// same page again in a moment with its entries (the `arxiv` Python client retries such pages
/// too). A page that comes back empty while arXiv has counted more results than its `start` is
/// therefore fetched again, up to `emptyPageRetries` times; after that the run ends with a
/// warning, keeping the cursor at that page for the next run.
public struct ArxivAPIHarvester: Sendable {
    /// The cursor's source name in the store.
    public static let source = "arxiv-api"
    /// arXiv's API endpoint.
    public static let arxivURL = "https://export.arxiv.org/api/query"
    /// arXiv asks API clients to wait at least 3 seconds between calls.
    public static let politeInterval: Duration = .seconds(3)

    public var baseURL: String
    /// The least time between the starts of two requests of a run.
    public var interval: Duration
    /// Results asked per request (`max_results`; arXiv answers at most 2,000), or ids per request.
    public var pageSize: Int
    let client: SourceClient
    let store: any PaperStore
    let logger: Logger

    /// Most times one run fetches an unexpectedly empty page again.
    static let emptyPageRetries = 3

    public init(client: SourceClient, store: any PaperStore, baseURL: String = arxivURL,
                interval: Duration = politeInterval, pageSize: Int = 100,
                logger: Logger = Logger(label: "paperboy.harvest")) {
        self.client = client
        self.store = store
        self.baseURL = baseURL
        self.interval = interval
        self.pageSize = max(pageSize, 1)
        self.logger = logger
    }

    /// Fetches the first `limit` results of `request` (of an id list, its first `limit` ids), or
    /// all of them, from where the last run of the same request stopped when it did not finish
    /// (and stopped within the limit), else from the beginning.
    public func harvest(_ request: ArxivAPIRequest, limit: Int? = nil,
                        progress: @Sendable (HarvestProgress) -> Void = { _ in }) async throws -> HarvestReport {
        let started = ContinuousClock.now
        let set = request.cursorSet
        let stored = try await store.harvestCursor(source: Self.source, set: set)
            ?? HarvestCursor(source: Self.source, set: set)
        let end = max(0, min(limit ?? .max, request.idCount ?? .max))
        let resumed = stored.resumptionToken.flatMap { Int($0) }.flatMap { (0..<end).contains($0) ? $0 : nil }
        var start = resumed ?? 0
        // The most results arXiv has counted for the request; an interrupted run stored its
        // cursor only because there were results past it.
        var knownTotal = resumed.map { $0 + 1 } ?? 0
        var report = HarvestReport(source: Self.source, set: set)
        var records = 0
        var emptyRetries = 0
        var lastRequest: ContinuousClock.Instant?
        while start < end {
            let count = min(pageSize, end - start)
            let url = pageURL(request, start: start, count: count)
            if let lastRequest { try await Task.sleep(until: lastRequest + interval, clock: .continuous) }
            lastRequest = .now
            let page = try await client.fetch(url, explainRefusal: ArxivAPIPage.apiError(in:)) { data in
                try ArxivAPIPage(data, url: url)
            }
            if let message = page.apiError {
                throw HarvestError(.refused, url: url, message:
                    "\(url) was refused by arXiv, saying \"\(message)\"; asking again will not help, check the query or the ids.")
            }
            knownTotal = max(knownTotal, page.totalResults ?? 0)
            var next = start + count
            if case .query = request {
                if page.entries == 0, start < knownTotal {
                    guard emptyRetries < Self.emptyPageRetries else {
                        logger.warning("arXiv kept answering an empty page inside the list; stopping, the next run resumes there",
                                       metadata: ["url": "\(url)", "total": "\(knownTotal)", "attempts": "\(emptyRetries + 1)"])
                        break
                    }
                    emptyRetries += 1
                    logger.warning("arXiv answered an empty page inside the list; fetching it again",
                                   metadata: ["url": "\(url)", "total": "\(knownTotal)"])
                    continue
                }
                // A short page moves on by what it held, so nothing is skipped; the list ends
                // where arXiv's count does.
                next = page.entries == 0 || start + page.entries >= knownTotal ? end : start + page.entries
            }
            emptyRetries = 0
            var cursor = stored
            cursor.resumptionToken = next < end ? String(next) : nil
            let counts = try await store.upsert(page.papers, advancing: cursor)
            report.add(page: counts, rejections: page.rejections)
            records += page.entries
            progress(HarvestProgress(pages: report.pages, records: records, total: min(end, request.idCount ?? knownTotal)))
            start = next
        }
        report.seconds = started.duration(to: .now).seconds
        return report
    }

    /// The request for `count` results from `start`. A search is sorted newest submission first:
    /// a limit then keeps the newest papers, and papers submitted during a run push the list
    /// down, so a later page repeats a paper (merged when stored) rather than skipping one, as
    /// arXiv's default relevance order, recomputed per request, could. An id list is sent
    /// `count` ids at a time, from the `start`th.
    func pageURL(_ request: ArxivAPIRequest, start: Int, count: Int) -> String {
        var items: [(String, String)]
        switch request {
        case .query(let text):
            items = [("search_query", text), ("sortBy", "submittedDate"), ("sortOrder", "descending"),
                     ("start", String(start)), ("max_results", String(count))]
        case .ids(let ids):
            let page = ids.dropFirst(start).prefix(count)
            items = [("id_list", page.joined(separator: ",")), ("start", "0"), ("max_results", String(page.count))]
        }
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is left as is: arXiv reads it as a space, as its manual's `ti:a+AND+au:b` expects.
        return baseURL + (baseURL.contains("?") ? "&" : "?") + (components.percentEncodedQuery ?? "")
    }
}

extension ArxivAPIRequest {
    /// How many ids an id list names; nil for a search.
    var idCount: Int? {
        if case .ids(let ids) = self { return ids.count }
        return nil
    }
}
