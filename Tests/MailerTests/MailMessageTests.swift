import Foundation
import Testing

@testable import Mailer

/// The rendered message, read back without a server: structure, line limits, list headers,
/// and that no value can add a header of its own.
struct MailMessageTests {
    @Test func rendersMultipartAlternativeWithPlainTextFirst() throws {
        let message = try SampleMail.digest()
        let text = String(decoding: message.rendered(), as: UTF8.self)
        let boundary = MessageRenderer.boundary(for: message)
        let headers = MailDecoding.headers(message.rendered())
        #expect(headers.map(\.name) == ["Date", "From", "To", "Subject", "Message-ID", "List-Id", "List-Unsubscribe",
                                        "List-Unsubscribe-Post", "MIME-Version", "Content-Type"])
        #expect(headers.last?.value == "multipart/alternative; boundary=\"\(boundary)\"")
        let parts = text.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4)  // head, text/plain, text/html, the closing "--"
        #expect(parts[1].hasPrefix("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        #expect(parts[2].hasPrefix("\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        #expect(parts[3] == "--\r\n")
        let plain = Array(parts[1].components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n").utf8).dropLast(2)
        #expect(MailDecoding.quotedPrintable(String(decoding: plain, as: UTF8.self)) == message.text)
    }

    @Test func everyLineEndsInCRLFAndStaysWithinLimits() throws {
        let message = try SampleMail.digest()
        let (lines, bare) = MailDecoding.lines(message.rendered())
        #expect(bare == 0)
        #expect(message.rendered().allSatisfy { $0 < 0x80 }, "the message is 7-bit")
        #expect(lines.allSatisfy { $0.count <= 78 }, "\(lines.filter { $0.count > 78 }.map { String(decoding: $0, as: UTF8.self) })")
    }

    @Test func carriesOneClickUnsubscribeAndListHeaders() throws {
        let headers = Dictionary(MailDecoding.headers(try SampleMail.digest().rendered()).map { ($0.name, $0.value) }) { $1 }
        #expect(headers["List-Unsubscribe"] == "<https://paperboy.example/unsubscribe?token=3f9c2a7e>, <mailto:unsubscribe+3f9c2a7e@paperboy.example?subject=unsubscribe>")
        #expect(headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(headers["List-Id"] == "Paperboy daily digest <digest.paperboy.example>")
        #expect(headers["Message-ID"] == "<digest-2026-06-12.boglarka@paperboy.example>")
        #expect(headers["MIME-Version"] == "1.0")
    }

    @Test(arguments: [
        (1_781_249_400.0, "Fri, 12 Jun 2026 07:30:00 +0000"),
        (951_825_605.0, "Tue, 29 Feb 2000 12:00:05 +0000"),
        (-1.0, "Wed, 31 Dec 1969 23:59:59 +0000"),
        (0.999, "Thu, 1 Jan 1970 00:00:00 +0000"),
    ])
    func writesTheDateAsRFC5322InUTC(seconds: Double, expected: String) {
        #expect(MailDate.string(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func rendersTheSameBytesEveryTime() throws {
        #expect(try SampleMail.digest().rendered() == SampleMail.digest().rendered())
    }

    @Test func keepsAVeryLongURLOnItsOwnLineUnder998() throws {
        let url = "https://paperboy.example/unsubscribe?token=" + String(repeating: "a", count: MailingList.maximumURLLength - 44)
        let list = try MailingList(id: "digest.paperboy.example", unsubscribeURL: url, unsubscribeAddress: nil)
        let base = try SampleMail.digest()
        let message = try MailMessage(from: base.from, to: base.to, subject: base.subject, text: "t", html: "h", date: base.date,
                                      messageID: base.messageID, list: list)
        #expect(MailDecoding.lines(message.rendered()).lines.allSatisfy { $0.count <= 998 })
        let tooLong = url + "aa"
        #expect(throws: MailerError.self) { try MailingList(id: "digest.paperboy.example", unsubscribeURL: tooLong, unsubscribeAddress: nil) }
    }

    @Test func sendsAnEmptyBodyAsAnEmptyPart() throws {
        let base = try SampleMail.digest()
        let message = try MailMessage(from: base.from, to: base.to, subject: "", text: "", html: "", date: base.date, messageID: base.messageID)
        let (lines, bare) = MailDecoding.lines(message.rendered())
        #expect(bare == 0)
        #expect(lines.contains { String(decoding: $0, as: UTF8.self) == "Subject:" })
    }
}
