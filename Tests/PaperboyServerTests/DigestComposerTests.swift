import Foundation
import Mailer
import PaperboyCore
@testable import PaperboyServer
import Testing

/// Digests and confirmation mail as composed, before any server: structure, links, list
/// headers, and no way for user text into a header.
struct DigestComposerTests {
    /// The header block of rendered bytes, unfolded: (name, value) in order.
    static func headers(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        var fields: [(name: String, value: String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last = fields.popLast() {
                fields.append((last.name, last.value + line))
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst())))
            }
        }
        return fields
    }

    static let digestHeaders = ["Date", "From", "To", "Subject", "Message-ID", "List-Id", "List-Unsubscribe",
                                "List-Unsubscribe-Post", "MIME-Version", "Content-Type"]

    @Test func aDigestIsMultipartWithListHeadersAndAbsoluteLinks() async throws {
        let papers = try await DigestFixture.papers()
        let subscription = try DigestFixture.subscription()
        let message = try #require(try DigestFixture.composer.digest(
            for: subscription, period: DigestFixture.due, sections: DigestFixture.sections(papers), at: DigestFixture.now))
        #expect(message.to.addrSpec == "ada@example.org" && message.from.addrSpec == "digest@paperboy.example")
        #expect(message.messageID.description == "<digest.42.2026-11-26@paperboy.example>")
        #expect(message.subject == "Paperboy digest 2026-11-26: 7 new papers")
        let list = try #require(message.list)
        #expect(list.unsubscribeURL.hasPrefix("https://paperboy.example/unsubscribe/"))
        let headers = Self.headers(message.rendered())
        #expect(headers.map(\.name) == Self.digestHeaders)
        #expect(headers.first { $0.name == "List-Unsubscribe-Post" }?.value == "List-Unsubscribe=One-Click")
        #expect(headers.first { $0.name == "List-Unsubscribe" }?.value == "<\(list.unsubscribeURL)>")
        for paper in papers.prefix(7) {
            let link = "https://paperboy.example" + PageModels.paperPath(paper.id)
            #expect(message.text.contains(link) && message.html.contains(htmlEscape(link)))
            #expect(message.text.contains(DigestText.line(paper.title)))
        }
        #expect(message.text.contains("like “\(DigestText.line(papers[0].title))” in your tag MoE"))
        #expect(message.html.contains("like <em>\(htmlEscape(DigestText.line(papers[0].title)))</em> in your tag <strong>MoE</strong>"))
        #expect(message.text.contains("Unsubscribe: \(list.unsubscribeURL)"))
        // Every link in the HTML is absolute and on this server; no images, no style sheets.
        let hrefs = message.html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(hrefs.count == 9)
        #expect(hrefs.allSatisfy { $0.hasPrefix("https://paperboy.example/") })
        #expect(!message.html.contains("<img") && !message.html.contains("<link") && !message.html.contains("<style"))
        #expect(!message.html.contains("background"), "the client's own colours, in light and dark mode")
    }

    @Test func theMessageIDIsStablePerSubscriptionAndPeriod() async throws {
        let sections = DigestFixture.sections(try await DigestFixture.papers())
        let subscription = try DigestFixture.subscription()
        let first = try #require(try DigestFixture.composer.digest(for: subscription, period: DigestFixture.due, sections: sections, at: DigestFixture.now))
        let later = try #require(try DigestFixture.composer.digest(for: subscription, period: DigestFixture.due, sections: sections, at: DigestFixture.now + 600))
        #expect(first.messageID == later.messageID)
        let tomorrow = DuePeriod(period: DigestPeriod(rawValue: "2026-11-27"), scheduledAt: DigestFixture.now + 86_400)
        let next = try #require(try DigestFixture.composer.digest(for: subscription, period: tomorrow, sections: sections, at: DigestFixture.now))
        #expect(next.messageID != first.messageID)
    }

    @Test func anEmptyDigestIsNotComposed() throws {
        let empty = [DigestSection(kind: .trending, entries: []), DigestSection(kind: .search("moe"), entries: [])]
        #expect(try DigestFixture.composer.digest(for: DigestFixture.subscription(), period: DigestFixture.due, sections: empty, at: DigestFixture.now) == nil)
        #expect(try DigestFixture.composer.digest(for: DigestFixture.subscription(), period: DigestFixture.due, sections: [], at: DigestFixture.now) == nil)
    }

    @Test func theConfirmationCarriesOneAbsoluteConfirmLink() throws {
        let message = try DigestFixture.composer.confirmation(for: DigestFixture.subscription(), at: DigestFixture.now)
        let link = try #require(message.text.split(separator: "\n").first { $0.hasPrefix("https://") })
        #expect(link.hasPrefix("https://paperboy.example/subscribe/confirm/"))
        let token = try SignedToken(parsing: String(link.dropFirst("https://paperboy.example/subscribe/confirm/".count)))
        #expect(token.purpose == .confirm && token.expiresAt == DigestFixture.now + 7 * 86_400)
        #expect(message.html.contains(htmlEscape(String(link))))
        #expect(message.list == nil)
    }

    /// CR, LF and NUL in every field a user or a source controls: the address is refused, and
    /// saved searches, tags, titles, reasons and author names end up in the body on one line,
    /// never as a header.
    @Test(arguments: ["\r\nBcc: eve@example.org", "\nBcc: eve@example.org", "\rBcc: eve@example.org", "\0Bcc: eve@example.org",
                      "\r\n\r\nBcc: eve@example.org", "\u{2028}Bcc: eve@example.org"])
    func userTextCannotInjectHeaders(_ payload: String) async throws {
        let composer = DigestFixture.composer
        await #expect(throws: (any Error).self) {
            _ = try composer.digest(for: DigestFixture.subscription(email: "ada@example.org" + payload),
                                    period: DigestFixture.due, sections: DigestFixture.sections(try await DigestFixture.papers()), at: DigestFixture.now)
        }
        #expect(throws: (any Error).self) { _ = try EmailAddress.normalized("ada@example.org" + payload) }
        #expect(throws: PaperboyError.self) { _ = try DigestOptions(savedSearches: ["moe" + payload]) }

        var paper = try #require(try await DigestFixture.papers().first)
        paper.title += payload
        paper.authors = [Author(name: "Ada" + payload, affiliation: nil)]
        let sections = [
            DigestSection(kind: .trending, entries: [DigestEntry(paper: paper)]),
            DigestSection(kind: .tag("MoE" + payload), entries: [DigestEntry(paper: paper, reason: DigestReason(likeTitle: "X" + payload, tag: "MoE" + payload))]),
            DigestSection(kind: .search("moe" + payload), entries: [DigestEntry(paper: paper)]),
        ]
        let message = try #require(try composer.digest(for: DigestFixture.subscription(), period: DigestFixture.due, sections: sections, at: DigestFixture.now))
        let bytes = message.rendered()
        #expect(Self.headers(bytes).map(\.name) == Self.digestHeaders)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\0"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(!line.lowercased().hasPrefix("bcc:"), "\(line)")
        }
        for body in [message.text, message.html] {
            #expect(!body.contains("\0") && !body.contains("\r") && !body.contains("\u{2028}"))
            #expect(!body.split(separator: "\n").contains { $0.hasPrefix("Bcc:") })
        }
    }
}
