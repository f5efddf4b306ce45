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
        abstract: "Fetch new papers from arXiv (OAI-PMH or the API) or Hugging Face daily papers, once, from where the last harvest stopped.",
        discussion: """
            Each page of records is stored with the position of the next one, so an interrupted \
            harvest resumes where it stopped and stores every paper once. Unavailable servers \
            are retried with backoff (honouring Retry-After); a source that stays unreachable \
            ends the harvest with an error and a non-zero exit. Settings come from paperboy.toml \
            in the data directory, overridden by PAPERBOY_HARVEST_* variables and by these flags.
            """)

    @OptionGroup var global: GlobalOptions

    /// Where papers come from.
    enum Source: String, ExpressibleByArgument, CaseIterable {
        /// arXiv's OAI-PMH `ListRecords`.
        case oai
        /// arXiv's API `api/query`: papers by id or by query.
        case arxivAPI = "arxiv-api"
        /// Hugging Face `api/daily_papers`, a day at a time, with upvotes.
        case hfDaily = "hf-daily"
    }

    @Option(help: ArgumentHelp("Where to harvest from: oai (arXiv, in bulk), arxiv-api (arXiv papers by --id or --query) or hf-daily (Hugging Face daily papers and their upvotes).",
                               valueName: "source"))
    var source: Source = .oai

    @Option(help: ArgumentHelp("An arXiv set to harvest: cs, math, physics:hep-th, … (repeat for several; default: harvest.sets in paperboy.toml, else all of arXiv).", valueName: "set"))
    var set: [String] = []

    @Option(help: ArgumentHelp("Harvest records changed (hf-daily: days) on or after this day instead of where the last harvest ended.", valueName: "yyyy-mm-dd"))
    var from: String?

    @Option(help: ArgumentHelp("Harvest records changed on or before this day.", valueName: "yyyy-mm-dd"))
    var until: String?

    @Option(help: ArgumentHelp("An arXiv id to fetch with --source arxiv-api (repeat for several).", valueName: "id"))
    var id: [String] = []

    @Option(help: ArgumentHelp("An arXiv API search_query to fetch with --source arxiv-api, e.g. \"cat:cs.LG AND ti:diffusion\".", valueName: "query"))
    var query: String?

    @Option(help: ArgumentHelp("Most papers --query fetches.", valueName: "n"))
    var max: Int = 100

    @Option(help: ArgumentHelp("The OAI-PMH endpoint (harvest.oai_url).", valueName: "url"))
    var oaiURL: String?

    @Option(name: .customLong("arxiv-api-url"), help: ArgumentHelp("The arXiv API endpoint (harvest.arxiv_api_url).", valueName: "url"))
    var arxivAPIURL: String?

    @Option(help: ArgumentHelp("The Hugging Face daily papers endpoint (harvest.hf_url).", valueName: "url"))
    var hfURL: String?

    @Option(help: ArgumentHelp("The metadata format to ask for: arXiv, arXivRaw or oai_dc (harvest.metadata_prefix).", valueName: "prefix"))
    var metadataPrefix: String?

    @Option(help: ArgumentHelp("An address sent with every request, as arXiv asks harvesters to identify themselves (harvest.contact).", valueName: "email"))
    var contact: String?

    @Option(help: ArgumentHelp("Seconds to wait for a response before trying again (harvest.timeout_seconds, default 60).", valueName: "s"))
    var timeout: Int?

    @Option(help: ArgumentHelp("Tries per request before the source counts as unreachable (harvest.attempts, default \(RetryPolicy().attempts)).", valueName: "n"))
    var attempts: Int?

    @Flag(help: "Print the report as JSON instead of sentences.")
    var json = false

    func validate() throws {
        for (name, value) in [("--from", from), ("--until", until)] {
            if let value, !Self.isDay(value) { throw ValidationError("\(name) must be a day as yyyy-mm-dd, not \"\(value)\".") }
        }
        if let timeout, timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
        if let attempts, attempts < 1 { throw ValidationError("--attempts must be at least 1.") }
        if let metadataPrefix, ConfigKeys.harvestMetadataPrefix.check(metadataPrefix) != nil {
            throw ValidationError("--metadata-prefix must be arXiv, arXivRaw or oai_dc, not \"\(metadataPrefix)\".")
        }
        if source != .oai, until != nil || !set.isEmpty {
            throw ValidationError("--until and --set apply to --source oai.")
        }
        if source == .arxivAPI {
            if id.isEmpty == (query == nil) { throw ValidationError("--source arxiv-api needs either --id (one or more) or --query.") }
            if from != nil { throw ValidationError("--from applies to --source oai and hf-daily.") }
            if max < 1 { throw ValidationError("--max must be at least 1.") }
        } else if !id.isEmpty || query != nil {
            throw ValidationError("--id and --query apply to --source arxiv-api.")
        }
    }

    static func isDay(_ text: String) -> Bool {
        text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil
    }

    /// The settings in force: these flags over the environment over `paperboy.toml`.
    func settings() throws -> HarvestSettings {
        var settings = HarvestSettings(try global.configuration())
        if !set.isEmpty { settings.sets = set }
        if let oaiURL { settings.oaiURL = oaiURL }
        if let arxivAPIURL { settings.arxivAPIURL = arxivAPIURL }
        if let hfURL { settings.hfURL = hfURL }
        if let metadataPrefix { settings.metadataPrefix = metadataPrefix }
        if let contact { settings.contact = contact }
        if let timeout { settings.timeoutSeconds = timeout }
        if let attempts { settings.attempts = attempts }
        return settings
    }

    func run() async throws {
        let settings = try settings()
        let store = try await global.openStore()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let client = settings.client(http)
        let bar = ProgressBar(label: "harvesting \(what(settings))")
        let show: @Sendable (HarvestProgress) -> Void = { bar.update(fraction: $0.fraction, count: $0.records, unit: "records") }
        let outcome: Result<[HarvestReport], any Error>
        do {
            outcome = .success(try await HarvestLock.whileHeld(on: store) { [source, from, until, id, query, max] in
                switch source {
                case .oai:
                    var reports: [HarvestReport] = []
                    for set in settings.oaiSets {
                        reports.append(try await settings.oai(set: set, client: client, store: store)
                            .harvest(from: from, until: until, progress: show))
                    }
                    return reports
                case .arxivAPI:
                    let request = query.map(ArxivAPIRequest.query) ?? .ids(id)
                    return [try await settings.arxivAPI(client: client, store: store)
                        .harvest(request, limit: query == nil ? nil : max, progress: show)]
                case .hfDaily:
                    return [try await settings.hfDaily(client: client, store: store).harvest(from: from, progress: show)]
                }
            })
        } catch {
            outcome = .failure(error)
        }
        bar.finish()
        try await http.shutdown()
        switch outcome {
        case .success(let reports):
            let url = switch source {
            case .oai: settings.oaiURL
            case .arxivAPI: settings.arxivAPIURL
            case .hfDaily: settings.hfURL
            }
            for report in reports { print(json ? JSONOutput.line(report) : Self.summary(of: report, url: url)) }
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

    /// What the progress bar says is being harvested.
    private func what(_ settings: HarvestSettings) -> String {
        switch source {
        case .oai: settings.sets.isEmpty ? "arXiv" : settings.sets.joined(separator: ", ")
        case .arxivAPI: "the arXiv API"
        case .hfDaily: "Hugging Face daily papers"
        }
    }

    /// `Harvested cs from https://…: 2,265 records in 3 pages (4.2 s): 2,265 new, 0 updated, 0 unchanged, 0 rejected`.
    static func summary(of report: HarvestReport, url: String) -> String {
        let c = report.counts
        let records = c.inserted + c.updated + c.unchanged + report.rejected
        let what = switch report.source {
        case HFDailyHarvester.source: "Hugging Face daily papers"
        case ArxivAPIHarvester.source: "arXiv papers"
        default: report.set.isEmpty ? "arXiv" : report.set
        }
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
