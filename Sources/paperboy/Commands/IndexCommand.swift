import ArgumentParser
import Foundation
import SearchIndex

/// `paperboy index`: (re)builds the keyword index from the store and saves it.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the keyword index from the store.",
        discussion: """
            Search opens the saved index and catches up with new papers by itself; this \
            command builds it from scratch (all cores), e.g. after a large import.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let store = try await global.openStore()
        let file = KeywordIndexFile(dataDirectory: global.dataDirectory, store: store)
        let started = ContinuousClock.now
        let index = try await file.rebuild()
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
        if json {
            print(JSONOutput.line(IndexReport(papers: index.documentCount, seconds: seconds, bytes: bytes, segments: index.segmentCount)))
        } else {
            print("Indexed \(index.documentCount.formatted) papers in \(String(format: "%.1f", seconds)) s; the index takes \(ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .file)) at \(file.url.path).")
        }
    }
}

private struct IndexReport: Encodable {
    var papers: Int
    var seconds: Double
    var bytes: Int
    var segments: Int
}
