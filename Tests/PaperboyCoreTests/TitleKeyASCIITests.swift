import PaperboyTesting
import Testing
@testable import PaperboyCore

/// The ASCII fast path of `TitleKey.normalize` must give exactly the Unicode path's key.
struct TitleKeyASCIITests {
    @Test(arguments: [
        "Attention Is All You Need", "  BERT:   Pre-training of Deep   Bidirectional Transformers ",
        #"Fr\'echet Inception Distance"#, #"{\"O}sterreich and \v{C}ech \c c \u{a} \alpha-stable laws"#,
        #"The $\mathcal{O}(n \log n)$ bound \& more"#, #"trailing backslash \"#, #"\\ double \{ braces \}"#,
        "Q&A: 3D-to-2D, 10.5% (v2) [cs.CL]", "\r\n crlf \r\n title", "", "!!!", "x", "ABC123def",
        #"\v{}\H \k{a}\r{u}\d{o}\b{x}\t{oo}\u"#, "tab\there\u{1}soh\u{1F}us",
    ])
    func asciiTitleGivesTheSameKey(_ title: String) {
        #expect(TitleKey.normalize(title) == TitleKey.unicodeNormalize(title))
    }

    @Test func nonASCIITitleFallsBackToTheFullNormalization() {
        for title in ["Fréchet Inception Distance", "ＦＵＬＬ　ＷＩＤＴＨ", "Schrödinger \\'e", "ﬁnite ﬁelds"] {
            #expect(TitleKey.normalize(title) == TitleKey.unicodeNormalize(title))
        }
    }

    @Test func generatedTitlesGiveTheSameKey() {
        for paper in SamplePapers.generated(count: 300) {
            #expect(TitleKey.normalize(paper.title) == TitleKey.unicodeNormalize(paper.title))
        }
    }

    @Test func randomASCIIGivesTheSameKey() {
        let alphabet = Array(#"aZ09 \{}$'"`^~=.-_:,;!?()[]/&%uvHckrdbt"#) + ["\t", "\n"]
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2000 {
            var title = ""
            for _ in 0..<Int(state % 24) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                title.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            #expect(TitleKey.normalize(title) == TitleKey.unicodeNormalize(title), "title: \(title.debugDescription)")
        }
    }
}
