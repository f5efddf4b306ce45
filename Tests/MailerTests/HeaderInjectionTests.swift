import Foundation
import Testing

@testable import Mailer

/// Every value that reaches a header is refused when it holds a line break, or encoded when it
/// holds characters a reader's program might treat as one; never written raw.
struct HeaderInjectionTests {
    static let injections = ["\r\nBcc: victim@example.com", "\nBcc: victim@example.com", "\rBcc: victim@example.com",
                             "\r\n\r\n<html>fake body", "\0"]

    @Test(arguments: injections)
    func subjectWithALineBreakIsRefused(_ injection: String) throws {
        let base = try SampleMail.digest()
        let error = #expect(throws: MailerError.self) {
            try MailMessage(from: base.from, to: base.to, subject: "Digest" + injection, text: "", html: "", date: base.date, messageID: base.messageID)
        }
        #expect(error?.field == "subject")
        #expect(error?.description.contains("\r") == false && error?.description.contains("\n") == false)
    }

    @Test(arguments: injections)
    func addressesAndNamesWithALineBreakAreRefused(_ injection: String) {
        #expect(throws: MailerError.self) { try MailAddress("reader@example.org" + injection, field: "to") }
        #expect(throws: MailerError.self) { try MailAddress("reader@example.org", displayName: "Reader" + injection, field: "to") }
    }

    @Test(arguments: injections)
    func listValuesWithALineBreakAreRefused(_ injection: String) {
        #expect(throws: MailerError.self) {
            try MailingList(id: "digest.paperboy.example", unsubscribeURL: "https://paperboy.example/u?t=1" + injection, unsubscribeAddress: nil)
        }
        #expect(throws: MailerError.self) {
            try MailingList(id: "digest.paperboy.example" + injection, unsubscribeURL: "https://paperboy.example/u", unsubscribeAddress: nil)
        }
        #expect(throws: MailerError.self) {
            try MailingList(id: "digest.paperboy.example", name: "Digest" + injection, unsubscribeURL: "https://paperboy.example/u", unsubscribeAddress: nil)
        }
        #expect(throws: MailerError.self) { try MessageID(left: "id" + injection, right: "paperboy.example") }
        #expect(throws: MailerError.self) { try MessageID(left: "id", right: "paperboy.example" + injection) }
    }

    @Test(arguments: ["http://paperboy.example/u", "https://paperboy.example/u>, <https://evil.example/", "https://paper boy.example/u",
                      "javascript:alert(1)", "https://", "mailto:x@example.org", "https://paperboy.example/ü"])
    func unsubscribeURLMustBeAPlainHTTPSURL(_ url: String) {
        let error = #expect(throws: MailerError.self) {
            try MailingList(id: "digest.paperboy.example", unsubscribeURL: url, unsubscribeAddress: nil)
        }
        #expect(error?.field == "List-Unsubscribe URL")
    }

    /// Line separators that are not CR or LF (U+2028, U+2029) are allowed but only ever travel
    /// inside encoded-words, so no program can split a header on them.
    @Test func unicodeLineSeparatorsTravelEncoded() throws {
        let base = try SampleMail.digest()
        let message = try MailMessage(
            from: MailAddress("digest@paperboy.example", displayName: "Paperboy\u{2028}Bcc: victim@example.com"),
            to: base.to, subject: "Digest\u{2029}Bcc: victim@example.com", text: "", html: "", date: base.date, messageID: base.messageID)
        let rendered = message.rendered()
        #expect(rendered.allSatisfy { $0 < 0x80 })
        let headers = MailDecoding.headers(rendered)
        #expect(!headers.contains { $0.name.lowercased() == "bcc" })
        #expect(headers.first { $0.name == "Subject" }.flatMap { MailDecoding.encodedWords($0.value) } == "Digest\u{2029}Bcc: victim@example.com")
    }

    @Test func mailtoAddressIsPercentEncoded() throws {
        let list = try MailingList(id: "digest.paperboy.example", unsubscribeURL: "https://paperboy.example/u",
                                   unsubscribeAddress: MailAddress("un/sub?x=1&y#z%@paperboy.example"))
        #expect(list.mailtoURL == "mailto:un%2Fsub%3Fx=1%26y%23z%25@paperboy.example?subject=unsubscribe")
    }
}
