import Testing

@testable import Mailer

struct SMTPDataEncodingTests {
    private func encoded(_ text: String) -> String {
        String(decoding: SMTPDataEncoding.encode(Array(text.utf8)), as: UTF8.self)
    }

    @Test func doublesADotAtTheStartOfEveryLine() {
        #expect(encoded(".first\r\nmiddle.\r\n.\r\n..two\r\n") == "..first\r\nmiddle.\r\n..\r\n...two\r\n.\r\n")
    }

    @Test func endsWithALoneDotOnItsOwnLine() {
        #expect(encoded("body") == "body\r\n.\r\n")
        #expect(encoded("body\r\n") == "body\r\n.\r\n")
        #expect(encoded("") == ".\r\n")
    }
}

extension SMTPDataEncodingTests {
    /// A recorded message with a stray line ending cannot end the data early on any server.
    @Test func makesEveryLineEndingCRLF() {
        #expect(encoded("a\nb\rc\r\n.\n.\r") == "a\r\nb\r\nc\r\n..\r\n..\r\n.\r\n")
        #expect(encoded("x\n.\nMAIL FROM:<a@b.c>\n") == "x\r\n..\r\nMAIL FROM:<a@b.c>\r\n.\r\n")
    }
}
