import Foundation
import Logging
import PaperboyCore

/// Harvests Hugging Face's daily papers (`api/daily_papers?date=`), one day per request:
/// the papers of the day and their upvotes, which trending ranks by. A paper already stored
/// (from arXiv) merges with its entry, so the harvest updates its upvotes.
///
/// Each day is stored with the cursor naming it, in one transaction. A run goes from the
/// last day stored (again: its upvotes keep changing) or `from`, through the clock's day.
public struct HFDailyHarvester: Sendable {
    /// The cursor's source name in the store.
    public static let source = "hf-daily"
    public static let huggingFaceURL = "https://huggingface.co/api/daily_papers"

    public var baseURL: String
    let client: SourceClient
    let store: any PaperStore
    let clock: @Sendable () -> Date

    public init(client: SourceClient, store: any PaperStore, baseURL: String = huggingFaceURL,
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.client = client
        self.store = store
        self.baseURL = baseURL
        self.clock = clock
    }

    /// Harvests every day from `from` (`yyyy-MM-dd`; else the last day stored, else today)
    /// through today (UTC).
    public func harvest(from: String? = nil,
                        progress: @Sendable (HarvestProgress) -> Void = { _ in }) async throws -> HarvestReport {
        let started = ContinuousClock.now
        let today = UTCDay.string(clock())
        let cursor = try await store.harvestCursor(source: Self.source, set: "")
        var report = HarvestReport(source: Self.source, set: "")
        var records = 0
        let days = Self.days(from: from ?? cursor?.datestamp ?? today, through: today)
        for day in days {
            let url = baseURL + (baseURL.contains("?") ? "&" : "?") + "date=" + day
            let page = try await client.fetch(url) { data in try HFDailyPage(data, url: url) }
            let counts = try await store.upsert(page.papers, advancing: HarvestCursor(source: Self.source, set: "", datestamp: day))
            report.add(page: counts, rejections: page.rejections)
            records += page.papers.count + page.rejections.count
            progress(HarvestProgress(pages: report.pages, records: records, total: nil))
        }
        report.seconds = started.duration(to: .now).seconds
        return report
    }

    /// `yyyy-MM-dd` days from `first` through `last`; none when `first` is later or unreadable.
    static func days(from first: String, through last: String) -> [String] {
        guard var date = UTCDay.date(first), let end = UTCDay.date(last) else { return [] }
        var days: [String] = []
        while date <= end {
            days.append(UTCDay.string(date))
            date += 86_400
        }
        return days
    }
}

/// One day's answer, read whole. An answer that is not a complete JSON array was cut short on
/// the way and is refused as `IncompletePage`, so the client fetches it again.
struct HFDailyPage {
    var papers: [Paper] = []
    var rejections: [Rejection] = []

    init(_ data: Data, url: String) throws {
        let trimmed = data.reversed().first { !$0.isWhitespace }
        guard trimmed == UInt8(ascii: "]") else { throw IncompletePage(url: url, bytes: data.count) }
        var parser = HFDailyParser(source: DataByteSource(data), file: url)
        (papers, rejections) = try parser.drain()
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}
