import Testing

@testable import Mailer

/// Header values: plain ASCII stays readable and folds at spaces; anything else becomes RFC 2047
/// encoded-words that decode back exactly; no line passes 78 columns.
struct HeaderFieldTests {
    private func lines(_ field: HeaderField) -> [String] {
        Array(field.rendered.components(separatedBy: "\r\n").dropLast())
    }

    @Test func keepsAPlainSubjectReadable() {
        #expect(HeaderField.unstructured("Subject", "Your Paperboy digest").rendered == "Subject: Your Paperboy digest\r\n")
    }

    @Test func foldsALongPlainSubjectAtSpacesWithinColumn78() {
        let subject = "Risk Under Pressure: Compute-Aware Evaluation of Adversarial Robustness in Language Models and more"
        let field = HeaderField.unstructured("Subject", subject)
        #expect(lines(field).count == 2)
        #expect(lines(field).allSatisfy { $0.utf8.count <= 78 })
        #expect(MailDecoding.headers(Array(field.rendered.utf8)).first?.value == subject)
    }

    @Test(arguments: [
        "3 papers for you today — Niccolò Biondi, Raphaël Baena and others",
        "論文ダイジェスト: 今日の論文 📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄📄",
        "two  spaces, a trailing one ",
        "looks like an =?encoded?= word",
        String(repeating: "x", count: 120),
        "",
    ])
    func encodesOtherSubjectsAsWordsThatDecodeBack(_ subject: String) throws {
        let field = HeaderField.unstructured("Subject", subject)
        for line in lines(field) {
            #expect(line.utf8.count <= 78, "\(line)")
            #expect(line.utf8.allSatisfy { $0 < 0x80 })
        }
        let value = try #require(MailDecoding.headers(Array(field.rendered.utf8)).first?.value)
        if subject.isEmpty {
            #expect(value.isEmpty)
        } else {
            #expect(MailDecoding.encodedWords(value) == subject)
            #expect(value.split(separator: " ").allSatisfy { $0.utf8.count <= 75 })
        }
    }

    @Test func neverSplitsACharacterAcrossEncodedWords() {
        let words = EncodedWord.encode(String(repeating: "😀", count: 40))
        for word in words {
            #expect(MailDecoding.encodedWords(String(word)) != nil, "\(word) holds part of a character")
        }
    }

    @Test func writesDisplayNamesAsAtomsQuotedStringsOrEncodedWords() throws {
        let plain = try MailAddress("digest@paperboy.example", displayName: "Paperboy Digest")
        #expect(HeaderField.address("From", plain).rendered == "From: Paperboy Digest <digest@paperboy.example>\r\n")
        let special = try MailAddress("j@example.org", displayName: "Smith, J. \"Jay\" \\o/")
        #expect(HeaderField.address("To", special).rendered == "To: \"Smith, J. \\\"Jay\\\" \\\\o/\" <j@example.org>\r\n")
        let accented = try MailAddress("b@example.org", displayName: "Boglárka Ecsedi")
        #expect(HeaderField.address("To", accented).rendered == "To: =?UTF-8?Q?Bogl=C3=A1rka_Ecsedi?= <b@example.org>\r\n")
        let bare = try MailAddress("b@example.org")
        #expect(HeaderField.address("To", bare).rendered == "To: b@example.org\r\n")
    }
}
