import ArgumentParser
import Foundation
import SearchIndex

/// `paperboy bench`: measurements the scripts in `bench/` drive, hidden from help.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Paperboy (used by the scripts in bench/).",
        shouldDisplay: false,
        subcommands: [BenchSearchCommand.self, BenchEmbedCommand.self, BenchPeakCommand.self, BenchVectorsCommand.self,
                      BenchEvalCommand.self, BenchAttachVectorsCommand.self, BenchRecommendCommand.self, BenchOutboxCommand.self])
}

/// Loads the saved keyword index and times a file of queries: each query parsed, compiled
/// and searched for its top k, single-threaded (median of `repeat` runs per query), then all
/// queries spread over `threads` threads.
struct BenchSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Time keyword queries.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "A file with one query per line.")
    var queries: String

    @Option var limit = 10
    @Option var `repeat` = 3
    @Option var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print JSON (the only output format).")
    var json = false

    func run() async throws {
        let lines = try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n").map(String.init)
        let store = try await global.openStore()
        let before = Self.residentBytes()
        let started = ContinuousClock.now
        let index = try await KeywordIndexFile(dataDirectory: global.dataDirectory, store: store).open()
        let loadSeconds = Self.seconds(ContinuousClock.now - started)
        let rss = Self.residentBytes()
        let parsed = lines.map { try? QueryParser.parse($0) }
        let run = { @Sendable (i: Int) -> [KeywordHit] in
            guard let query = parsed[i] else { return [] }
            let compiled = index.compile(query)
            return index.search(compiled.query, limit: limit, days: compiled.days)
        }
        var top: [[String]] = []
        for i in lines.indices { top.append(run(i).map(\.id)) }   // warm-up, and the results
        var samples = [[UInt64]](repeating: [], count: lines.count)
        let singleStart = ContinuousClock.now
        for _ in 0..<max(1, self.repeat) {
            for i in lines.indices {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = run(i)
                samples[i].append(DispatchTime.now().uptimeNanoseconds - t0)
            }
        }
        let singleSeconds = Self.seconds(ContinuousClock.now - singleStart)
        let threadedStart = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: max(1, threads)) { worker in
            var i = worker
            while i < lines.count {
                _ = run(i)
                i += max(1, threads)
            }
        }
        let threadedSeconds = Self.seconds(ContinuousClock.now - threadedStart)
        let report = BenchSearchReport(
            load_seconds: loadSeconds, index_bytes: index.byteCount, rss_bytes: rss,
            rss_growth_bytes: rss - before,
            latencies_ns: samples.map { $0.sorted()[$0.count / 2] },
            qps_single: Double(lines.count * max(1, self.repeat)) / singleSeconds,
            qps_threads: Double(lines.count) / threadedSeconds, threads: threads, top: top)
        print(JSONOutput.line(report))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The process's resident memory, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}

private struct BenchSearchReport: Encodable {
    var load_seconds: Double
    var index_bytes: Int
    var rss_bytes: Int
    var rss_growth_bytes: Int
    var latencies_ns: [UInt64]
    var qps_single: Double
    var qps_threads: Double
    var threads: Int
    var top: [[String]]
}
