import AsyncHTTPClient
import Foundation
import Ingestion
import Logging
import PaperboyCore

/// The harvest settings in force, for `paperboy harvest` and `paperboy serve --harvest`
/// alike: a command's flags over the environment over `paperboy.toml` over these defaults.
struct HarvestSettings {
    var contact: String?
    /// OAI sets; empty harvests all of arXiv.
    var sets: [String]
    var metadataPrefix: String
    var oaiURL: String
    var arxivAPIURL: String
    var hfURL: String
    var timeoutSeconds: Int
    var attempts: Int
    /// When the scheduled arXiv harvest runs.
    var daily: HarvestSchedule
    /// Minutes between scheduled Hugging Face harvests; 0: none.
    var upvotesEveryMinutes: Int

    init(_ config: Configuration) {
        contact = config.value(ConfigKeys.harvestContact)
        sets = config.value(ConfigKeys.harvestSets) ?? []
        metadataPrefix = config.value(ConfigKeys.harvestMetadataPrefix) ?? "arXiv"
        oaiURL = config.value(ConfigKeys.harvestOAIURL) ?? OAIPMHHarvester.arxivBaseURL
        arxivAPIURL = config.value(ConfigKeys.harvestArxivAPIURL) ?? ArxivAPIHarvester.arxivURL
        hfURL = config.value(ConfigKeys.harvestHFURL) ?? HFDailyHarvester.huggingFaceURL
        timeoutSeconds = config.value(ConfigKeys.harvestTimeoutSeconds) ?? 60
        attempts = config.value(ConfigKeys.harvestAttempts) ?? RetryPolicy().attempts
        daily = .daily(config.value(ConfigKeys.harvestDailyAt).flatMap(DailyTime.init) ?? HarvestSchedule.afterAnnouncement,
                       config.value(ConfigKeys.harvestTimeZone).flatMap(TimeZone.init(identifier:)) ?? HarvestSchedule.arxivTimeZone)
        upvotesEveryMinutes = config.value(ConfigKeys.harvestUpvotesEveryMinutes) ?? 60
    }

    func client(_ http: HTTPClient) -> SourceClient {
        SourceClient(http: http, contact: contact, retry: RetryPolicy(attempts: attempts), timeout: .seconds(timeoutSeconds),
                     logger: Logger(label: "paperboy.harvest"))
    }

    /// The sets one OAI-PMH run goes through: each configured one, or the whole repository.
    var oaiSets: [String?] { sets.isEmpty ? [nil] : sets }

    func oai(set: String?, client: SourceClient, store: any PaperStore) -> OAIPMHHarvester {
        OAIPMHHarvester(client: client, store: store, baseURL: oaiURL, set: set, metadataPrefix: metadataPrefix)
    }

    func hfDaily(client: SourceClient, store: any PaperStore) -> HFDailyHarvester {
        HFDailyHarvester(client: client, store: store, baseURL: hfURL)
    }

    func arxivAPI(client: SourceClient, store: any PaperStore) -> ArxivAPIHarvester {
        ArxivAPIHarvester(client: client, store: store, baseURL: arxivAPIURL)
    }

    /// What `serve --harvest` runs: every set after arXiv's announcement, and the Hugging
    /// Face daily papers (their upvotes) every `upvotesEveryMinutes`.
    func scheduledHarvests(client: SourceClient, store: any PaperStore) -> [ScheduledHarvest] {
        var harvests = [ScheduledHarvest(name: "arXiv \(sets.isEmpty ? "all" : sets.joined(separator: ", "))", schedule: daily) {
            var total = HarvestReport(source: OAIPMHHarvester.source, set: sets.joined(separator: ","))
            for set in oaiSets {
                total.add(try await oai(set: set, client: client, store: store).harvest())
            }
            return total
        }]
        if upvotesEveryMinutes > 0 {
            harvests.append(ScheduledHarvest(name: "Hugging Face daily papers", schedule: .every(.seconds(upvotesEveryMinutes * 60))) {
                try await hfDaily(client: client, store: store).harvest()
            })
        }
        return harvests
    }
}
