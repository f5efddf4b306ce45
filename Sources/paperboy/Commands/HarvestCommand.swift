import ArgumentParser
import AsyncHTTPClient
import Foundation
import Ingestion
import Logging
import PaperboyCore

/// `paperboy harvest`: fetches new papers from arXiv's OAI-PMH, or the day's papers and
/// upvotes from Hugging Face, once, from where the last harvest stopped, and says what it stored.
struct HarvestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harvest",
        abstract: "Fetch new papers from arXiv (OAI-PMH) or Hugging Face daily papers, once, from where the last harvest stopped.",
        discussion: """
            Each page of records is stored with the position of the next one, so an interrupted \
            harvest resumes where it stopped and stores every paper once. Unavailable servers \
            are retried with backoff (honouring Retry-After); a source that stays unreachable \
            ends the harvest with an error and a non-zero exit.
            """)

    @OptionGroup var global: GlobalOptions

    /// Where papers come from.
    enum Source: String, ExpressibleByArgument, CaseIterable {
        /// arXiv's OAI-PMH `ListRecords`.
        case oai
        /// Hugging Face `api/daily_papers`, a day at a time, with upvotes.
        case hfDaily = "hf-daily"
    }

    @Option(help: ArgumentHelp("Where to harvest from: oai (arXiv) or hf-daily (Hugging Face daily papers and their upvotes).",
                               valueName: "source"))
    var source: Source = .oai

    @Option(help: ArgumentHelp("The arXiv set to harvest: cs, math, physics:hep-th, … (all of arXiv when omitted).", valueName: "set"))
    var set: String?

    @Option(help: ArgumentHelp("Harvest records changed (hf-daily: days) on or after this day instead of where the last harvest ended.", valueName: "yyyy-mm-dd"))
    var from: String?

    @Option(help: ArgumentHelp("Harvest records changed on or before this day.", valueName: "yyyy-mm-dd"))
    var until: String?

    @Option(help: ArgumentHelp("The OAI-PMH endpoint.", valueName: "url"))
    var oaiURL = OAIPMHHarvester.arxivBaseURL

    @Option(help: ArgumentHelp("The Hugging Face daily papers endpoint.", valueName: "url"))
    var hfURL = HFDailyHarvester.huggingFaceURL

    @Option(help: ArgumentHelp("The metadata format to ask for: arXiv, arXivRaw or oai_dc.", valueName: "prefix"))
    var metadataPrefix = "arXiv"

    @Option(help: ArgumentHelp("An address sent with every request, as arXiv asks harvesters to identify themselves.", valueName: "email"))
    var contact: String?

    @Option(help: ArgumentHelp("Seconds to wait for a response before trying again.", valueName: "s"))
    var timeout = 60

    @Option(help: ArgumentHelp("Tries per request before the source counts as unreachable.", valueName: "n"))
    var attempts = RetryPolicy().attempts

    @Flag(help: "Print the report as JSON instead of sentences.")
    var json = false

    func validate() throws {
        for (name, value) in [("--from", from), ("--until", until)] {
            if let value, !Self.isDay(value) { throw ValidationError("\(name) must be a day as yyyy-mm-dd, not \"\(value)\".") }
        }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
        if source == .hfDaily, until != nil || set != nil {
            throw ValidationError("--until and --set apply to --source oai; hf-daily harvests whole days through today.")
        }
        if attempts < 1 { throw ValidationError("--attempts must be at least 1.") }
    }

    static func isDay(_ text: String) -> Bool {
        text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
    }

    func run() async throws {
        let store = try global.openStore()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = SourceClient(http: http, contact: contact, retry: RetryPolicy(attempts: attempts), timeout: .seconds(timeout),
                                  logger: Logger(label: "paperboy.harvest"))
        let bar = ProgressBar(label: "harvesting \(source == .oai ? set ?? "arXiv" : "Hugging Face daily papers")")
        let show: @Sendable (HarvestProgress) -> Void = { bar.update(fraction: $0.fraction, count: $0.records, unit: "records") }
        let outcome: Result<HarvestReport, any Error>
        do {
            outcome = .success(try await HarvestLock.whileHeld(on: store) { [source, from, until, set, oaiURL, hfURL, metadataPrefix] in
                switch source {
                case .oai:
                    try await OAIPMHHarvester(client: client, store: store, baseURL: oaiURL, set: set, metadataPrefix: metadataPrefix)
                        .harvest(from: from, until: until, progress: show)
                case .hfDaily:
                    try await HFDailyHarvester(client: client, store: store, baseURL: hfURL).harvest(from: from, progress: show)
                }
            })
        } catch {
            outcome = .failure(error)
        }
        bar.finish()
        try await http.shutdown()
        switch outcome {
        case .success(let report):
            print(json ? JSONOutput.line(report) : Self.summary(of: report, url: source == .oai ? oaiURL : hfURL))
        case .failure(let error as HarvestError):
            Terminal.printError(error.description)
            throw ExitCode(1)
        case .failure(let error as HarvestBusy):
            Terminal.printError(error.description)
            throw ExitCode(1)
        case .failure(let error):
            throw error
        }
    }

    /// `Harvested cs from https://…: 2,265 records in 3 pages (4.2 s): 2,265 new, 0 updated, 0 unchanged, 0 rejected`.
    static func summary(of report: HarvestReport, url: String) -> String {
        let c = report.counts
        let records = c.inserted + c.updated + c.unchanged + report.rejected
        let what = report.source == HFDailyHarvester.source ? "Hugging Face daily papers" : report.set.isEmpty ? "arXiv" : report.set
        var lines = ["Harvested \(what) from \(url): \(records.formatted) records in "
            + "\(report.pages.formatted) pages (\(String(format: "%.1f", report.seconds)) s): \(c.inserted.formatted) new, "
            + "\(c.updated.formatted) updated, \(c.unchanged.formatted) unchanged, \(report.rejected.formatted) rejected."]
        lines += report.rejections.map { "  skipped \($0)" }
        if report.rejected > report.rejections.count {
            lines.append("  … and \((report.rejected - report.rejections.count).formatted) more skipped")
        }
        if report.restarts > 0 { lines.append("  The list started again \(report.restarts) times after its resumption token expired.") }
        return lines.joined(separator: "\n")
    }
}
