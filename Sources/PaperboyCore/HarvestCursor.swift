/// Where a harvest of one source and set stands, stored with the papers of each committed page
/// (`PaperStore.upsert(_:advancing:)`), so a harvest that crashes resumes at the first page it
/// did not commit: never skipping one, and fetching at most one page again.
public struct HarvestCursor: Sendable, Hashable, Codable {
    /// The harvester: `arxiv-oai`, `arxiv-api`, `hf-daily`.
    public var source: String
    /// What of it: an OAI set (`cs`), a query, or "" for all.
    public var set: String
    /// Where the next harvest starts (an OAI `from` date `yyyy-MM-dd`, the last day of HF daily
    /// papers done); nil before the first one finished.
    public var datestamp: String?
    /// Mid-list: the resumption token of the next page to fetch; nil when no list is in progress.
    public var resumptionToken: String?
    /// Where the list in progress started (`from` of its first request), kept so an expired
    /// token (`badResumptionToken`) restarts the list there.
    public var listFrom: String?

    public init(source: String, set: String, datestamp: String? = nil, resumptionToken: String? = nil,
                listFrom: String? = nil) {
        self.source = source
        self.set = set
        self.datestamp = datestamp
        self.resumptionToken = resumptionToken
        self.listFrom = listFrom
    }
}
