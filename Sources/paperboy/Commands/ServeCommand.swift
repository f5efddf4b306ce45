import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Ingestion
import Logging
import PaperboyCore
import PaperboyServer
import PaperMap
import Retrieval
import ServiceLifecycle

/// `paperboy serve`: the web app, the JSON API and the feeds over the data directory's
/// store. The indexes open as for `paperboy search` (loaded, caught up or rebuilt); an empty
/// store serves pages that say how to fill it.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web app, the JSON API and the Atom feeds.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to listen on (server.host, default 127.0.0.1).") var host: String?
    @Option(help: "The port to listen on (server.port, default 8080).") var port: Int?
    @Option(help: ArgumentHelp("The address readers reach the server at, for absolute links in feeds (server.public_url, default: http://HOST:PORT).",
                               valueName: "url"))
    var publicURL: String?
    @Option(help: ArgumentHelp("Memory for rendered pages and API answers, so popular ones are not ranked again; 0 turns it off (server.page_cache_mib, default \(ServerSettings.defaultRenderedPagesBudget >> 20)).",
                               valueName: "MiB"))
    var pageCache: Int?
    @Flag(inversion: .prefixedNo,
          help: "Harvest on a schedule: arXiv daily after its announcement, Hugging Face upvotes hourly (harvest.schedule, default off).")
    var harvest: Bool?
    @Option(help: ArgumentHelp("When the daily arXiv harvest runs (harvest.daily_at, default 20:30).", valueName: "HH:MM"))
    var harvestAt: String?
    @Option(help: ArgumentHelp("The time zone of --harvest-at (harvest.time_zone, default America/New_York).", valueName: "zone"))
    var harvestTimeZone: String?
    @Option(help: ArgumentHelp("Minutes between Hugging Face upvote harvests; 0 turns them off (harvest.upvotes_every_minutes, default 60).",
                               valueName: "minutes"))
    var upvotesEvery: Int?

    func validate() throws {
        let checks: [(String, String?)] = [
            ("--port", port.flatMap { ConfigKeys.serverPort.check($0) }),
            ("--page-cache", pageCache.flatMap { ConfigKeys.serverPageCacheMiB.check($0) }),
            ("--harvest-at", harvestAt.flatMap { ConfigKeys.harvestDailyAt.check($0) }),
            ("--harvest-time-zone", harvestTimeZone.flatMap { ConfigKeys.harvestTimeZone.check($0) }),
            ("--upvotes-every", upvotesEvery.flatMap { ConfigKeys.harvestUpvotesEveryMinutes.check($0) }),
        ]
        for case let (flag, problem?) in checks { throw ValidationError("\(flag) \(problem).") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let config = try global.configuration()
        let store = try await global.openStore()
        let index = try await KeywordIndexFile(dataDirectory: global.dataDirectory, store: store).open()
        let semantic = try await SemanticSetup(global: global, store: store).open()
        let memory = PaperMemory(budget: (config.value(ConfigKeys.serverPaperMemoryMiB) ?? 64) << 20)
        let catalog = PaperCatalog(store: store, engine: SearchEngine(store: store, keywordIndex: index, semanticIndex: semantic,
                                                                      memory: memory))
        let host = host ?? config.value(ConfigKeys.serverHost) ?? "127.0.0.1"
        let settings = ServerSettings(host: host, port: port ?? config.value(ConfigKeys.serverPort) ?? 8080,
                                      publicURL: publicURL ?? config.value(ConfigKeys.serverPublicURL),
                                      renderedPagesBudget: (pageCache ?? config.value(ConfigKeys.serverPageCacheMiB)
                                          ?? ServerSettings.defaultRenderedPagesBudget >> 20) << 20,
                                      refreshInterval: .seconds(config.value(ConfigKeys.serverRefreshSeconds) ?? 5))
        let logger = Logger(label: "paperboy.server")
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var services: [any Service] = []
        if harvest ?? config.value(ConfigKeys.harvestSchedule) ?? false {
            let harvests = harvestSettings(config)
            services.append(ScheduledHarvests(scheduler: HarvestScheduler(
                harvests: harvests.scheduledHarvests(client: harvests.client(http), store: store), store: store)))
        }
        services += try mailServices(config, store: store, logger: logger)
        let mapFile = MapFile(dataDirectory: global.dataDirectory)
        services.append(MapRefresher(file: mapFile.url, fieldMap: catalog.fieldMap, interval: settings.refreshInterval,
                                     load: mapFile.load))
        let papers = index.documentCount
        do {
            let readers = try await readerParts(config, store: store, catalog: catalog, baseURL: settings.baseURL, logger: logger)
            let app = try buildApplication(catalog: catalog, settings: settings, accounts: readers.accounts,
                                           library: readers.library, forYou: readers.forYou,
                                           subscriptions: readers.subscriptions, services: services + readers.services,
                                           logger: logger) { port in
                let elapsed = started.duration(to: .now).components
                let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                // Written unbuffered: scripts and tests wait for this line to learn the port.
                let line = "Paperboy is serving \(papers.formatted()) papers at http://\(host):\(port) (ready in \(String(format: "%.1f", seconds)) s).\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            try await app.runService()
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// The harvest settings with this command's schedule flags applied.
    private func harvestSettings(_ config: Configuration) -> HarvestSettings {
        var settings = HarvestSettings(config)
        if harvestAt != nil || harvestTimeZone != nil, case .daily(let time, let zone) = settings.daily {
            settings.daily = .daily(harvestAt.flatMap(DailyTime.init) ?? time,
                                    harvestTimeZone.flatMap(TimeZone.init(identifier:)) ?? zone)
        }
        if let upvotesEvery { settings.upvotesEveryMinutes = upvotesEvery }
        return settings
    }
}

/// The harvest scheduler as one of the server's services, stopped with it.
struct ScheduledHarvests: Service {
    let scheduler: HarvestScheduler

    func run() async throws {
        await cancelWhenGracefulShutdown { await scheduler.run() }
    }
}
