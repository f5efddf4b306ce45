import Foundation
import Logging
import PaperboyCore

/// Harvests an OAI-PMH repository (arXiv's, by default) with `ListRecords`, one set, page by
/// page, the bulk way arXiv documents.
///
/// Each page's papers and the cursor to the next page are stored in one transaction, so a
/// run killed at any point resumes at the first page not stored, and every paper is stored
/// exactly once (a page stored twice merges into the same records). When a list ends, the
/// day the repository answered becomes the next run's `from` (inclusive, so the overlap day
/// comes back unchanged rather than being missed). An expired resumption token
/// (`badResumptionToken`) restarts the list from where it began.
public struct OAIPMHHarvester: Sendable {
    /// The cursor's source name in the store.
    public static let source = "arxiv-oai"
    /// arXiv's OAI-PMH endpoint.
    public static let arxivBaseURL = "https://oaipmh.arxiv.org/oai"

    public var baseURL: String
    /// An OAI set (`cs`, `physics:hep-th`); nil harvests the whole repository.
    public var set: String?
    /// `arXiv` (full arXiv metadata); the parser also reads `arXivRaw` and `oai_dc`.
    public var metadataPrefix: String
    let client: SourceClient
    let store: any PaperStore
    let logger: Logger

    /// Most times one run starts a list again after an expired token.
    static let maxRestarts = 3

    public init(client: SourceClient, store: any PaperStore, baseURL: String = arxivBaseURL, set: String? = nil,
                metadataPrefix: String = "arXiv", logger: Logger = Logger(label: "paperboy.harvest")) {
        self.client = client
        self.store = store
        self.baseURL = baseURL
        self.set = set
        self.metadataPrefix = metadataPrefix
        self.logger = logger
    }

    /// Harvests from where the stored cursor stands (a list in progress, else the day the
    /// last one ended), or from `from` (`yyyy-MM-dd`) when given, up to `until` when given.
    public func harvest(from: String? = nil, until: String? = nil,
                        progress: @Sendable (HarvestProgress) -> Void = { _ in }) async throws -> HarvestReport {
        let started = ContinuousClock.now
        let setName = set ?? ""
        var cursor = try await store.harvestCursor(source: Self.source, set: setName)
            ?? HarvestCursor(source: Self.source, set: setName)
        // A `from` other than the one of the list in progress asks for a new list.
        if let from, cursor.listFrom != from { cursor.resumptionToken = nil }
        var report = HarvestReport(source: Self.source, set: setName)
        var records = 0
        while true {
            let listFrom = cursor.resumptionToken == nil ? (from ?? cursor.datestamp) : cursor.listFrom
            let url = cursor.resumptionToken.map(resumeURL) ?? listURL(from: listFrom, until: until)
            let page = try await client.fetch(url) { data in try OAIPMHPage(data, url: url) }
            if page.error?.code == "badResumptionToken", report.restarts < Self.maxRestarts {
                logger.warning("resumption token expired; starting the list again",
                               metadata: ["set": "\(setName)", "from": "\(listFrom ?? "the beginning")"])
                report.restarts += 1
                cursor.resumptionToken = nil
                cursor.listFrom = listFrom
                continue
            }
            if let error = page.error, !error.isEmptyResult {
                throw HarvestError(.refused, url: url, message: "\(url) answered with OAI-PMH error \(error.code): \(error.message)")
            }
            var next = cursor
            if let token = page.resumptionToken?.value {
                next.resumptionToken = token
                next.listFrom = listFrom
            } else {
                next.resumptionToken = nil
                next.listFrom = nil
                next.datestamp = until ?? page.responseDay ?? cursor.datestamp
            }
            let counts = try await store.upsert(page.papers, advancing: next)
            report.add(page: counts, rejections: page.rejections)
            records += page.papers.count + page.rejections.count
            progress(HarvestProgress(pages: report.pages, records: records, total: page.resumptionToken?.completeListSize))
            cursor = next
            if next.resumptionToken == nil { break }
        }
        report.seconds = started.duration(to: .now).seconds
        return report
    }

    /// The first page of a list.
    func listURL(from: String?, until: String?) -> String {
        var items = [("verb", "ListRecords"), ("metadataPrefix", metadataPrefix)]
        if let set { items.append(("set", set)) }
        if let from { items.append(("from", from)) }
        if let until { items.append(("until", until)) }
        return url(items)
    }

    /// The page a resumption token names (the token alone: OAI-PMH forbids other arguments).
    func resumeURL(_ token: String) -> String {
        url([("verb", "ListRecords"), ("resumptionToken", token)])
    }

    private func url(_ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `URLComponents` leaves `+`, `|` and `:` alone; a token may hold them.
        let query = (components.percentEncodedQuery ?? "")
            .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "|", with: "%7C")
        return baseURL + (baseURL.contains("?") ? "&" : "?") + query
    }
}
