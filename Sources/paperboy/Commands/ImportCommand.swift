import ArgumentParser
import Foundation
import Ingestion
import PaperboyCore

/// `paperboy import FILE…`: adds papers from files to the store.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import papers from files into the store.",
        discussion: """
            The format of each file is detected from its content:
              \(InputFormat.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "\n  "))

            Importing is a merge: the same paper from several files or sources becomes one \
            paper, a newer version updates it, and importing a file again changes nothing. \
            Malformed records are skipped and listed with their file and line; the rest is kept. \
            A file in no known format is refused and nothing of it is written.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Files to import.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("Read every file as this format instead of detecting it: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var format: InputFormat?

    @Option(help: ArgumentHelp("Papers written per transaction.", valueName: "n"))
    var batchSize: Int = 10_000

    @Flag(help: "Print one JSON report per file instead of sentences.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one file to import.") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1.") }
    }

    func run() async throws {
        let store = try await global.openStore()
        let importer = FileImporter(store: store, batchSize: batchSize, format: format)
        var failures: [String] = []
        for file in files {
            let url = URL(fileURLWithPath: file)
            let bar = ProgressBar(label: url.lastPathComponent)
            do {
                let report = try await importer.importFile(url) { bar.update($0) }
                bar.finish()
                print(json ? JSONOutput.line(report) : Self.summary(of: report))
            } catch let error as PaperboyError {
                bar.finish()
                failures.append(error.description)
                Terminal.printError(error.description)
            }
        }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// `file: 2,265 records (oai-pmh, 0.8 s): 2,265 inserted, 0 updated, 0 unchanged, 0 rejected`, then the reasons.
    static func summary(of report: ImportReport) -> String {
        let c = report.counts
        var lines = ["\(report.file): \(report.records.formatted) records (\(report.format.rawValue), \(String(format: "%.1f", report.seconds)) s): "
            + "\(c.inserted.formatted) inserted, \(c.updated.formatted) updated, \(c.unchanged.formatted) unchanged, \(report.rejected.formatted) rejected"]
        let shown = report.rejections.prefix(20)
        lines += shown.map { "  skipped \($0)" }
        if report.rejected > shown.count { lines.append("  … and \((report.rejected - shown.count).formatted) more skipped") }
        return lines.joined(separator: "\n")
    }
}

extension InputFormat: ExpressibleByArgument {}
