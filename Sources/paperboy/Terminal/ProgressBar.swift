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

    private let started = ContinuousClock.now

    init(label: String) { self.label = label }

    /// The time left at the rate so far, once a percent is done (`ETA 2m 05s`).
    static func eta(fraction: Double, elapsed: Duration) -> String? {
        guard fraction >= 0.01, fraction < 1 else { return nil }
        let seconds = Int((Double(elapsed.components.seconds) * (1 - fraction) / fraction).rounded())
        return seconds >= 60 ? "ETA \(seconds / 60)m \(String(format: "%02d", seconds % 60))s" : "ETA \(seconds)s"
    }

    func update(_ progress: ImportProgress) {
        update(fraction: progress.fraction, count: progress.records, unit: "records")
    }

    /// Shows `count` things done, and the fraction of the whole when it is known.
    func update(fraction: Double?, count: Int, unit: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        guard now - lastDraw >= (isTerminal ? .milliseconds(100) : .seconds(5)) else { return }
        lastDraw = now
        let percent = fraction.map { Int($0 * 100) }
        if isTerminal {
            var line = "\r\(label) "
            if let fraction {
                let width = 30
                let filled = Int(fraction * Double(width))
                line += String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " \(percent ?? 0)% "
            }
            line += "\(count.formatted) \(unit)"
            if let fraction, let eta = Self.eta(fraction: fraction, elapsed: now - started) { line += " · \(eta)" }
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
            drewBar = true
        } else {
            var metadata: Logger.Metadata = ["task": "\(label)", unit: "\(count)"]
            if let percent { metadata["percent"] = "\(percent)" }
            if let fraction, let eta = Self.eta(fraction: fraction, elapsed: now - started) { metadata["eta"] = "\(eta.dropFirst(4))" }
            logger.notice("progress", metadata: metadata)
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
