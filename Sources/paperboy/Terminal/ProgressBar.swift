import Foundation
import Ingestion
import Logging

/// Shows how far a long import has come: a redrawn bar on a terminal, a log line every few
/// seconds otherwise (so CI logs and pipes stay readable).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDraw = ContinuousClock.now - .seconds(60)
    private var drewBar = false
    private let logger = Logger(label: "paperboy.progress")

    init(label: String) { self.label = label }

    func update(_ progress: ImportProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastDraw >= (isTerminal ? .milliseconds(100) : .seconds(5)) else { return }
        lastDraw = now
        let percent = Int(progress.fraction * 100)
        if isTerminal {
            let width = 30
            let filled = Int(progress.fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% \(progress.records.formatted) records".utf8))
            drewBar = true
        } else {
            logger.notice("import progress", metadata: ["file": "\(label)", "percent": "\(percent)", "records": "\(progress.records)"])
        }
    }

    /// Clears the bar so the summary starts on a clean line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewBar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drewBar = false
    }
}
