import Foundation
import Mailer
import PaperboyCore
import PaperboyTesting
import StorageSQLite
import Synchronization

/// Outbox fixtures: digests composed with `MailMessage` and recorded as the digest run records
/// them, a store in a fresh directory, and a clock the test moves.
enum OutboxMail {
    static let day = "2026-11-26"

    /// The digest of reader `n` to `addrSpec`, recorded under a key of its own and a stable
    /// Message-ID, as the digest run composes it.
    static func draft(_ n: Int, to addrSpec: String? = nil) throws -> OutboxDraft {
        let to = addrSpec ?? "reader\(n)@example.org"
        let message = try MailMessage(
            from: MailAddress("digest@paperboy.example", displayName: "Paperboy Digest", field: "from"),
            to: MailAddress(to, field: "to"), subject: "Your papers for \(day), reader \(n)",
            text: SampleMail.trickyLines + "\nDigest \(n)\n", html: "<p>Digest \(n)</p>\n<p>\n.a dot line\n</p>", date: SampleMail.date,
            messageID: MessageID(left: "digest.\(n).\(day)", right: "paperboy.example"), list: SampleMail.list(token: "t\(n)"))
        return OutboxDraft(key: key(n), sender: message.from.addrSpec, recipient: message.to.addrSpec, message: Data(message.rendered()))
    }

    static func key(_ n: Int) -> String { "digest:\(n):\(day)" }

    static func messageID(_ n: Int) -> String { "<digest.\(n).\(day)@paperboy.example>" }
}

/// A store file in a directory of its own (which `paperboy --data` can also open).
struct OutboxFixture {
    let directory: TemporaryDirectory
    let store: PaperDatabase

    init() throws {
        directory = try TemporaryDirectory()
        store = try PaperDatabase.file(at: directory.file("paperboy.sqlite"))
    }

    /// A second, independent connection to the same file, as another process would open it.
    func reopen() throws -> PaperDatabase { try PaperDatabase.file(at: directory.file("paperboy.sqlite")) }

    var runner: CommandRunner { CommandRunner(dataDirectory: directory.url) }
}

/// A clock the test moves by hand, so backoff is tested without waiting.
final class TestClock: Sendable {
    private let now: Mutex<Date>

    init(_ start: Date = Date()) { now = Mutex(start) }

    func advance(by seconds: TimeInterval) { now.withLock { $0 += seconds } }
    var date: Date { now.withLock { $0 } }
    var read: @Sendable () -> Date { { self.date } }
}

extension MailServer {
    /// The Message-ID of every message received, in order of arrival.
    func receivedMessageIDs() throws -> [String] {
        try received().map { $0.header("Message-ID").first ?? "" }
    }
}
