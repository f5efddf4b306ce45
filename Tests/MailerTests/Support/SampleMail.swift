import Foundation
import Mailer
import PaperboyTesting

/// Messages built from the real Hugging Face daily papers of 2026-06-12 (three of them have
/// authors with accented names), plus the lines that break careless mailers: one that starts
/// with a dot, a lone dot, one that starts with "From ", trailing spaces, and a long HTML line.
enum SampleMail {
    struct Paper: Decodable {
        struct Details: Decodable {
            struct Author: Decodable { var name: String }
            var id: String
            var authors: [Author]
        }
        var paper: Details
        var title: String
        var summary: String
    }

    /// The three papers whose author names are not ASCII.
    static func papers() throws -> [Paper] {
        let data = try Data(contentsOf: Fixtures.shared("fixtures/hf-daily-papers/daily_papers_2026-06-12.json"))
        let wanted = ["2606.11409", "2606.12488", "2606.09446"]
        return try JSONDecoder().decode([Paper].self, from: data).filter { wanted.contains($0.paper.id) }
    }

    static let date = Date(timeIntervalSince1970: 1_781_249_400)  // Fri, 12 Jun 2026 07:30:00 +0000

    static let trickyLines = """
        .This line starts with a dot and must not end the message early.
        .
        ..two dots
        From here on, mbox writers would mangle this line.
        Trailing spaces stay   \u{0020}
        Tabs\tstay\ttoo, and so do emoji 📄 and 論文.
        """

    static func text(_ papers: [Paper]) -> String {
        var text = "Your Paperboy digest for 12 June 2026\n\n"
        for paper in papers {
            text += "\(paper.title)\n\(paper.paper.authors.map(\.name).joined(separator: ", "))\n"
            text += "https://arxiv.org/abs/\(paper.paper.id)\n\n\(paper.summary)\n\n"
        }
        return text + trickyLines + "\n"
    }

    static func html(_ papers: [Paper]) -> String {
        let items = papers.map { paper in
            "<li><a href=\"https://arxiv.org/abs/\(paper.paper.id)\">\(paper.title)</a> — "
                + "\(paper.paper.authors.map(\.name).joined(separator: ", "))<p>\(paper.summary)</p></li>"
        }
        // One very long line, as HTML minifiers write it.
        return "<!doctype html><html><body><h1>Your Paperboy digest</h1><ul>\(items.joined())</ul>\n<p>\n.a dot line\n</p></body></html>"
    }

    static func list(token: String = "3f9c2a7e") throws -> MailingList {
        try MailingList(
            id: "digest.paperboy.example", name: "Paperboy daily digest",
            unsubscribeURL: "https://paperboy.example/unsubscribe?token=\(token)",
            unsubscribeAddress: MailAddress("unsubscribe+\(token)@paperboy.example", field: "List-Unsubscribe mailto"))
    }

    /// A digest to `to` (local part chosen by the test: `temp…` and `reject…` are refused by the
    /// test server) whose subject names two of the accented authors.
    static func digest(to addrSpec: String = "boglarka@example.org", displayName: String? = "Boglárka Ecsedi") throws -> MailMessage {
        let papers = try papers()
        return try MailMessage(
            from: MailAddress("digest@paperboy.example", displayName: "Paperboy Digest", field: "from"),
            to: MailAddress(addrSpec, displayName: displayName, field: "to"),
            subject: "3 papers for you today — Niccolò Biondi, Raphaël Baena and others",
            text: text(papers), html: html(papers), date: date,
            messageID: MessageID(left: "digest-2026-06-12.\(addrSpec.split(separator: "@")[0])", right: "paperboy.example"),
            list: list())
    }
}
