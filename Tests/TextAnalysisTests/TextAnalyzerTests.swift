import Foundation
import PaperboyTesting
import Testing
import TextAnalysis

/// The lines of the five real Hugging Face papers pages: titles, abstracts and page chrome.
private func hfLines() throws -> [String] {
    try Fixtures.hfPages.flatMap { url in
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}

private func terms(_ text: String, _ analyzer: TextAnalyzer = .english) -> [String] {
    analyzer.analyze(text).map(\.term)
}

private func source(of token: Token, in text: String) -> String {
    String(decoding: Array(text.utf8)[token.start..<token.end], as: UTF8.self)
}

@Test func compoundsAreIndexedWholeAndByTheirParts() {
    let cases: [(String, [String])] = [
        ("GPT-4", ["gpt-4", "gpt", "4"]),
        ("BERT-base", ["bert-base", "bert", "base"]),
        ("L2", ["l2", "l", "2"]),
        ("3D", ["3d", "3", "d"]),
        ("k-NN", ["k-nn", "k", "nn"]),
        ("state-of-the-art", ["state-of-the-art", "state", "of", "the", "art"]),
        ("LLaMA3-8B", ["llama3-8b", "llama", "3", "8", "b"]),
        ("ResNet50", ["resnet50", "resnet", "50"]),
    ]
    for (text, expected) in cases {
        #expect(terms(text, .names) == expected, "\(text)")
    }
    let kinds = TextAnalyzer.english.analyze("GPT-4").map(\.kind)
    #expect(kinds == [.compound, .part, .part])
}

@Test func compoundSharesItsFirstPartsPositionAndTheNextWordFollowsTheLastPart() {
    // Real: "For each task, we collect specific code solutions by prompting GPT-4 to solve…"
    let tokens = TextAnalyzer.english.analyze("by prompting GPT-4 to solve")
    let positions = tokens.map { "\($0.term)@\($0.position)" }
    #expect(positions == ["by@0", "prompt@1", "gpt-4@2", "gpt@2", "4@3", "to@4", "solv@5"])

    // So the phrase "gpt 4" lines up with the parts of `gpt-4` in the text.
    let query = TextAnalyzer.english.analyze("gpt 4").map { "\($0.term)@\($0.position)" }
    #expect(query == ["gpt@0", "4@1"])
}

@Test func plainWordsOfOnlyLettersOrOnlyDigitsAreWords() {
    let tokens = TextAnalyzer.english.analyze("Mar 13 GANs 2024")
    #expect(tokens.map(\.kind) == [.word, .word, .word, .word])
    #expect(tokens.map(\.term) == ["mar", "13", "gan", "2024"])
}

@Test func decimalNumbersStayOneWord() {
    // Real: "…on the CIFAR-10 dataset in 1.2 GPU days" and "with merely 0.05\% deviation".
    #expect(terms("in 1.2 GPU days") == ["in", "1.2", "gpu", "day"])
    #expect(terms("a learning rate of 0.01.") == ["a", "learn", "rate", "of", "0.01"])
    #expect(terms("Qwen2.5-Math-72B", .names) == ["qwen2.5-math-72b", "qwen", "2.5", "math", "72", "b"])
    #expect(terms("e.g. 3.") == ["e", "g", "3"])
}

@Test func possessiveIsDroppedAndTheSpanKeepsIt() {
    // Real: "we maintain 96.7\% of the 11B model's performance".
    let text = "the 11B model's performance"
    let tokens = TextAnalyzer.english.analyze(text)
    #expect(tokens.map(\.term) == ["the", "11b", "11", "b", "model", "perform"])
    #expect(source(of: tokens[4], in: text) == "model's")
    #expect(terms("GPT-4's answers", .names) == ["gpt-4", "gpt", "4", "answers"])
    #expect(terms("the models’ outputs", .names) == ["the", "models", "outputs"])
}

@Test func innerApostrophesJoinNamePartsLikeHyphens() {
    #expect(terms("O'Brien", .names) == ["obrien", "o", "brien"])
    #expect(terms("Dall’Aglio", .names) == ["dallaglio", "dall", "aglio"])
}

@Test func stemmingAppliesToWordsAndLetterPartsButNeverToCompoundsOrNumbers() {
    // Real: "adopts the one-to-one training and weight-resetting strategies".
    let tokens = TextAnalyzer.english.analyze("weight-resetting strategies in 2024s")
    #expect(tokens.map(\.term) == ["weight-resetting", "weight", "reset", "strategi", "in", "2024s", "2024", "s"])
    #expect(tokens.first?.kind == .compound)
    #expect(terms("Generative adversarial networks") == ["generat", "adversari", "network"])
}

@Test func namesAnalyzerFoldsButDoesNotStem() {
    #expect(terms("Hastings Rubin Schrödinger", .names) == ["hastings", "rubin", "schrodinger"])
    #expect(terms("Hastings", .english) == ["hast"])
    #expect(TextAnalyzer.names.stemming == false)
    #expect(TextAnalyzer.english.stemming == true)
}

@Test func nonASCIIWordsAreFoldedAndStemmedLikeTheirASCIISpelling() {
    // Real titles: "Light Schrödinger Bridge", "Ragnarök: A Reusable RAG Framework…".
    #expect(terms("Light Schrödinger Bridge") == terms("light schrodinger bridge"))
    #expect(terms("Ragnarök: A Reusable RAG Framework") == ["ragnarok", "a", "reusabl", "rag", "framework"])
    #expect(terms("ＧＰＴ－４ ﬁnetuning naïve Straße", .names)
        == ["gpt-4", "gpt", "4", "finetuning", "naive", "strasse"])
}

@Test func cjkIdeographsAreWordsOfTheirOwnAndOtherScriptsAreLowercasedWords() {
    let tokens = TextAnalyzer.english.analyze("大语言模型 (LLM) Ελληνικά Привет")
    #expect(tokens.map(\.term) == ["大", "语", "言", "模", "型", "llm", "ελληνικα", "привет"])
    #expect(tokens.map(\.position) == Array(0..<8))
    #expect(tokens.allSatisfy { $0.kind == .word })
    #expect(terms("BERT模型", .names) == ["bert", "模", "型"])
}

@Test func offsetsAreUTF8BytesOfTheOriginalText() {
    let text = "Light Schrödinger Bridge — 大模型, GPT-4"
    let sources = TextAnalyzer.english.analyze(text).map { source(of: $0, in: text) }
    #expect(sources == ["Light", "Schrödinger", "Bridge", "大", "模", "型", "GPT-4", "GPT", "4"])
}

@Test func everyLetterAndDigitOfRealAbstractsLiesInATokenAtIncreasingPositions() throws {
    let lines = try hfLines().filter { !$0.contains("\\") && !$0.contains("$") }
    #expect(lines.count > 500)
    for line in lines {
        let tokens = TextAnalyzer.english.analyze(line)
        var covered = [Bool](repeating: false, count: line.utf8.count)
        var lastPosition: Int32 = -1
        for token in tokens {
            #expect(token.position >= lastPosition)
            lastPosition = max(lastPosition, token.position)
            for offset in token.start..<token.end { covered[offset] = true }
            #expect(!token.term.isEmpty)
        }
        for (offset, byte) in line.utf8.enumerated() where byte.isASCIILetterOrDigit {
            #expect(covered[offset], "\(line)")
            if !covered[offset] { break }
        }
    }
}

@Test func stopWordsAreInTheFormBothAnalyzersEmit() {
    #expect(StopWords.english.count >= 30 && StopWords.english.count <= 40)
    for word in StopWords.english {
        #expect(terms(word, .english) == [word])
        #expect(terms(word, .names) == [word])
    }
    for word in ["the", "of", "and", "a", "to", "in", "is", "for", "that", "with", "on", "from", "were"] {
        #expect(StopWords.english.contains(word))
    }
}

@Test func analyzerSurvivesURLsEmailsAndDegenerateInput() {
    // Real: "Source code: https://github.com/marsggbo/EAGAN."
    #expect(terms("https://github.com/marsggbo/EAGAN.", .names) == ["https", "github", "com", "marsggbo", "eagan"])
    #expect(terms("mail jane.doe@example.org", .names) == ["mail", "jane", "doe", "example", "org"])
    for text in ["", " ", "---", "'s", "a-", "-a", "1.", ".5", "\u{301}", "x\u{301}", "'''", "--a--b--",
                 "\\", "$", "{", "}", "\\'", "\\\"{", "$$\\frac{", "a\u{200D}b", "🙂 emoji", "\u{0}"] {
        _ = TextAnalyzer.english.analyze(text)
    }
    #expect(terms("--a--b--", .names) == ["a", "b"])
    #expect(terms("x\u{301}", .names) == ["x"])
}

@Test func overlongWordsGetNoTermButKeepTheirPosition() {
    let long = String(repeating: "acgt", count: 100)
    let tokens = TextAnalyzer.english.analyze("dna \(long) sequence")
    #expect(tokens.map(\.term) == ["dna", "sequenc"])
    #expect(tokens.map(\.position) == [0, 2])
}

@Test func termCacheGivesTheSameTokensAsAnalyzingAlone() throws {
    var cache = TermCache(capacity: 64)
    for line in try hfLines().prefix(400) {
        #expect(TextAnalyzer.english.analyze(line, cache: &cache) == TextAnalyzer.english.analyze(line))
        #expect(TextAnalyzer.names.analyze(line, cache: &cache) == TextAnalyzer.names.analyze(line))
    }
}

@Test func analyzerThroughputOnRealAbstracts() throws {
    let lines = try hfLines().filter { $0.utf8.count > 200 }
    #if DEBUG
    let rounds = 1
    #else
    let rounds = 20
    #endif
    for (label, analyzer, cached) in [("english", TextAnalyzer.english, false), ("english+cache", .english, true),
                                      ("names", .names, false)] {
        var cache = TermCache()
        var words = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for line in lines {
                    let tokens = cached ? analyzer.analyze(line, cache: &cache) : analyzer.analyze(line)
                    words += Int(tokens.last?.position ?? -1) + 1
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("TextAnalyzer \(label): \(words) words in \(seconds) s = \(Int(Double(words) / seconds)) words/s")
        #expect(words > 0)
    }
}

private extension UInt8 {
    var isASCIILetterOrDigit: Bool {
        (self | 0x20) &- UInt8(ascii: "a") < 26 || self &- UInt8(ascii: "0") < 10
    }
}
