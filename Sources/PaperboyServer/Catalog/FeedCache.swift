import Foundation
import Synchronization

/// Ranked feeds kept for a few seconds: the daily page is what every reader opens first,
/// and ranking a day's papers on every request would cost a store read of up to
/// `PaperCatalog.feedDepth` papers. A new vote or paper shows in a feed within `lifetime`.
final class FeedCache: Sendable {
    private struct Entry {
        var value: any Sendable
        var expires: Date
    }

    let lifetime: TimeInterval
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: TimeInterval = 30, capacity: Int = 512) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func value<T: Sendable>(for key: String, now: Date) -> T? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.expires > now else { return nil }
            return entry.value as? T
        }
    }

    func store(_ value: some Sendable, for key: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries = entries.filter { $0.value.expires > now } }
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = Entry(value: value, expires: now.addingTimeInterval(lifetime))
        }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
