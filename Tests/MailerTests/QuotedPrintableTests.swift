import PaperboyTesting
import Testing

@testable import Mailer

struct QuotedPrintableTests {
    private func encoded(_ text: String) -> String {
        String(decoding: QuotedPrintable.encode(text), as: UTF8.self)
    }

    @Test func leavesPlainASCIIReadable() {
        #expect(encoded("Attention is all you need.") == "Attention is all you need.")
    }

    @Test func escapesEqualsNonASCIIAndControlCharacters() {
        #expect(encoded("a=b") == "a=3Db")
        #expect(encoded("Niccolò") == "Niccol=C3=B2")
        #expect(encoded("nul\0bell\u{07}") == "nul=00bell=07")
    }

    @Test func escapesWhitespaceOnlyAtTheEndOfALine() {
        #expect(encoded("a b \nc\t") == "a b=20\r\nc=09")
    }

    @Test func turnsEveryKindOfLineBreakIntoCRLF() {
        #expect(encoded("one\ntwo\r\nthree\rfour\n") == "one\r\ntwo\r\nthree\r\nfour\r\n")
    }

    @Test func protectsFromAtALineStart() {
        #expect(encoded("From here\nnot From here") == "=46rom here\r\nnot From here")
    }

    @Test func breaksLongLinesAt76WithoutSplittingAnEscape() {
        let text = String(repeating: "é", count: 100) + " " + String(repeating: "x", count: 200)
        let lines = encoded(text).components(separatedBy: "\r\n")
        #expect(lines.count > 3)
        for line in lines {
            #expect(line.utf8.count <= 76, "\(line)")
            let body = line.hasSuffix("=") ? line.dropLast() : Substring(line)
            #expect(!body.hasSuffix("=") && body.dropLast().last != "=", "an escape was split: \(line)")
        }
        #expect(MailDecoding.quotedPrintable(encoded(text)) == text)
    }

    @Test func roundTripsTheRealAbstractsAndTrickyLines() throws {
        let text = SampleMail.text(try SampleMail.papers())
        let result = encoded(text)
        #expect(result.utf8.allSatisfy { $0 < 0x80 })
        #expect(MailDecoding.quotedPrintable(result) == text)
    }

    @Test func roundTripsRandomText() {
        var random = SplitMix64(seed: 20_260_612)
        let alphabet: [Character] = ["a", "Z", " ", "\t", "=", ".", "\n", "é", "論", "📄", "F", "r", "o", "m", "\u{0}", "_", "?"]
        for _ in 0..<300 {
            let length = Int(random.next() % 300)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let result = encoded(text)
            #expect(result.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
            #expect(MailDecoding.quotedPrintable(result) == text, "\(text.debugDescription)")
        }
    }
}
