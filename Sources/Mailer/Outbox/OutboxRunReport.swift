import Foundation
import Logging
import PaperboyCore

/// What one run of `OutboxSender` did: for the log, `paperboy outbox send`, and its `--json`.
public struct OutboxRunReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A message given up on in this run.
    public struct Drop: Sendable, Hashable, Codable {
        public var key: String
        public var recipient: String
        public var reason: String
    }

    public var sent = 0
    public var deferred = 0
    public var dropped: [Drop] = []
    /// Another sender held the outbox, so this run sent nothing.
    public var busy = false
    /// Why the run stopped early: the transport's failure (no connection, a timeout), when it did.
    public var interruption: String?
    public var seconds = 0.0

    public init(busy: Bool = false) {
        self.busy = busy
    }

    /// Messages that have an outcome from this run.
    public var handled: Int { sent + deferred + dropped.count }

    mutating func recordDrop(_ message: OutboxMessage, reason: String) {
        dropped.append(Drop(key: message.draft.key, recipient: message.draft.recipient, reason: reason))
    }

    public var description: String {
        if busy { return "Another sender is working the outbox; this run sent nothing." }
        var text = "Sent \(sent), deferred \(deferred), dropped \(dropped.count) in \(String(format: "%.1f", seconds)) s."
        for drop in dropped { text += "\n  dropped \(drop.key) to \(drop.recipient): \(drop.reason)" }
        if let interruption { text += "\nStopped early: \(interruption)" }
        return text
    }

    public var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "sent": "\(sent)", "deferred": "\(deferred)", "dropped": "\(dropped.count)",
            "seconds": "\(String(format: "%.2f", seconds))",
        ]
        if let interruption { metadata["interruption"] = "\(interruption)" }
        return metadata
    }
}
