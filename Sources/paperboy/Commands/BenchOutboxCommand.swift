import ArgumentParser
import Foundation
import Ingestion
import Mailer
import PaperboyCore

/// `paperboy bench outbox`: the digest path at volume, one phase per process so each has its
/// own peak memory. `compose` renders `count` digest-sized multipart messages (about 21 KB,
/// ten papers in text and HTML) with `MailMessage` and records them in the outbox in batches;
/// `deliver` sends everything due to an SMTP server in the clear (a local sink) through
/// `OutboxSender`, with its commit per message.
struct BenchOutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "outbox", abstract: "Time composing and delivering digests.")

    enum Phase: String, ExpressibleByArgument { case compose, deliver }

    @OptionGroup var global: GlobalOptions

    @Option(help: "compose or deliver.")
    var phase: Phase

    @Option(help: "Digests to compose.")
    var count = 10_000

    @Option(help: "Digests recorded per transaction.")
    var batch = 500

    @Option(help: "The SMTP sink's port on 127.0.0.1 (deliver).")
    var smtpPort = 2525

    @Flag(help: "Print JSON (the only output format).")
    var json = false

    private struct Report: Encodable {
        var phase: String
        var messages: Int
        var bytes: Int
        var seconds: Double
        var messages_per_second: Double
        var megabytes_per_second: Double
        var peak_rss_bytes: Int
    }

    func run() async throws {
        let store = try await global.openStore()
        let started = ContinuousClock.now
        var messages = 0, bytes = 0
        switch phase {
        case .compose:
            var drafts: [OutboxDraft] = []
            for reader in 0..<count {
                let message = try DigestSample.message(reader: reader)
                let rendered = message.rendered()
                bytes += rendered.count
                drafts.append(OutboxDraft(key: "digest:\(reader):bench", sender: message.from.addrSpec, recipient: message.to.addrSpec,
                                          message: Data(rendered)))
                if drafts.count == batch || reader == count - 1 {
                    messages += try await store.enqueue(drafts, at: Date())
                    drafts.removeAll(keepingCapacity: true)
                }
            }
        case .deliver:
            let transport = SMTPTransport(configuration: SMTPConfiguration(host: "127.0.0.1", port: smtpPort, startTLS: .never))
            let report = try await OutboxSender(store: store, transport: transport).run()
            if let interruption = report.interruption { throw PaperboyError(.invalidInput, "delivery stopped: \(interruption)") }
            messages = report.sent
            let counts = try await store.outboxCounts()
            bytes = counts.sent == 0 ? 0 : try await sentBytes(store)
        }
        let seconds = started.duration(to: .now).seconds
        print(JSONOutput.line(Report(
            phase: phase.rawValue, messages: messages, bytes: bytes, seconds: seconds,
            messages_per_second: Double(messages) / seconds, megabytes_per_second: Double(bytes) / 1e6 / seconds,
            peak_rss_bytes: Self.peakResidentBytes())))
    }

    /// The bytes of the messages delivered, read back through the store (after the clock stopped
    /// would be fairer, but it is a few milliseconds).
    private func sentBytes(_ store: some OutboxStore) async throws -> Int {
        var total = 0
        for reader in 0..<count {
            if let message = try await store.outboxMessage(key: "digest:\(reader):bench"), message.state == .sent {
                total += message.draft.message.count
            }
        }
        return total
    }

    /// The process's resident-memory high-water mark (`ru_maxrss`, KiB on Linux).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

/// A digest as the digest run composes one: ten papers with title, authors, link and abstract,
/// in text and HTML, with list headers; words drawn from a fixed vocabulary by a seeded
/// generator, so every run composes the same bytes.
enum DigestSample {
    private static let words = """
        sparse mixture experts routing tokens attention transformer scaling law language model training data
        benchmark evaluation reasoning retrieval augmented generation diffusion image video speech robot policy
        reinforcement learning reward preference alignment fine-tuning adapter low-rank quantization pruning
        distillation latency throughput memory cache kernel gradient optimizer convergence theorem bound graph
        neural network protein molecule physics simulation climate forecast dataset annotation multilingual
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    private static let names = ["Boglárka Ecsedi", "Niccolò Biondi", "Raphaël Baena", "Ada Okafor", "Wei Zhang", "Søren Kjær",
                                "Priya Raman", "José Núñez", "Mariam Haddad", "Tomasz Wójcik"]

    static func message(reader: Int) throws -> MailMessage {
        var random = UInt64(truncatingIfNeeded: reader) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: random >> 33)
        }
        func sentence(_ length: Int) -> String { (0..<length).map { _ in words[next() % words.count] }.joined(separator: " ") }

        var text = "Your Paperboy digest\n\n", html = "<!doctype html><html><body><h1>Your Paperboy digest</h1><ol>"
        for paper in 0..<10 {
            let id = String(format: "2611.%05d", (reader * 10 + paper) % 100_000)
            let title = sentence(9).capitalized, authors = (0..<3).map { _ in names[next() % names.count] }.joined(separator: ", ")
            let abstract = sentence(80) + "."
            text += "\(paper + 1). \(title)\n   \(authors)\n   https://arxiv.org/abs/\(id)\n   like \"\(sentence(4))\" in your tag MoE\n\n   \(abstract)\n\n"
            html += "<li><h2><a href=\"https://arxiv.org/abs/\(id)\">\(title)</a></h2><p class=\"authors\">\(authors)</p>"
                + "<p class=\"why\">like <em>\(sentence(4))</em> in your tag MoE</p><p>\(abstract)</p></li>\n"
        }
        html += "</ol><p><a href=\"https://paperboy.example/unsubscribe?token=t\(reader)\">Unsubscribe</a></p></body></html>"
        return try MailMessage(
            from: MailAddress("digest@paperboy.example", displayName: "Paperboy Digest", field: "from"),
            to: MailAddress("reader\(reader)@example.org", field: "to"), subject: "Your papers for 26 November 2026",
            text: text, html: html, date: Date(timeIntervalSince1970: 1_795_680_000),
            messageID: MessageID(left: "digest.\(reader).2026-11-26", right: "paperboy.example"),
            list: MailingList(id: "digest.paperboy.example", name: "Paperboy daily digest",
                              unsubscribeURL: "https://paperboy.example/unsubscribe?token=t\(reader)", unsubscribeAddress: nil))
    }
}
