import Foundation
import PaperboyTesting
import Testing
import TextAnalysis

/// The real EAGAN abstract from the first Hugging Face page (it quotes `Fr\'echet` in TeX).
private func eaganAbstract() throws -> String {
    let page = try String(contentsOf: try Fixtures.hfPages[0], encoding: .utf8)
    let line = page.split(separator: "\n").first { $0.hasPrefix("Generative adversarial networks (GANs) have proven") }
    return String(try #require(line))
}

private func queryTerms(_ query: String) -> Set<String> {
    Set(TextAnalyzer.english.analyze(query).map(\.term))
}

private func highlighted(_ snippet: Snippet) -> [String] {
    let bytes = Array(snippet.text.utf8)
    return snippet.highlights.map { String(decoding: bytes[$0], as: UTF8.self) }
}

@Test func shortTextIsReturnedWholeWithEveryMatchMarked() {
    // Real title.
    let snippet = Highlighter().snippet(of: "EAGAN: Efficient Two-stage Evolutionary Architecture Search for GANs",
                                        terms: queryTerms("GAN architecture search"))
    #expect(snippet.text == "EAGAN: Efficient Two-stage Evolutionary Architecture Search for GANs")
    #expect(highlighted(snippet) == ["Architecture", "Search", "GANs"])
    #expect(snippet.marked(open: "<b>", close: "</b>")
        == "EAGAN: Efficient Two-stage Evolutionary <b>Architecture</b> <b>Search</b> for <b>GANs</b>")
}

@Test func snippetCentersOnTheWindowWithTheMostDistinctTerms() throws {
    let abstract = try eaganAbstract()
    let snippet = Highlighter().snippet(of: abstract, terms: queryTerms("Fréchet inception distance"), maxLength: 160)
    #expect(snippet.text.unicodeScalars.count <= 160)
    #expect(snippet.text.hasPrefix("…") && snippet.text.hasSuffix("…"))
    #expect(snippet.text.contains(#"Fr\'echet Inception Distance"#))
    #expect(Set(highlighted(snippet)).isSuperset(of: [#"Fr\'echet"#, "Inception", "Distance"]))
}

@Test func snippetIsCutBetweenWords() throws {
    let abstract = try eaganAbstract()
    let words = Set(abstract.split(whereSeparator: \.isWhitespace).map(String.init))
    for query in ["GAN training", "CIFAR-10 dataset", "Pareto-front architectures", "source code"] {
        for maxLength in [60, 120, 240] {
            let snippet = Highlighter().snippet(of: abstract, terms: queryTerms(query), maxLength: maxLength)
            #expect(snippet.text.unicodeScalars.count <= maxLength, "\(query) \(maxLength)")
            let inner = snippet.text.trimmingCharacters(in: CharacterSet(charactersIn: "…"))
            let pieces = inner.split(separator: " ").map(String.init)
            #expect(!pieces.isEmpty)
            #expect(words.contains(pieces.first ?? ""), "\(snippet.text)")
            #expect(words.contains(pieces.last ?? ""), "\(snippet.text)")
            #expect(!snippet.highlights.isEmpty, "\(query)")
        }
    }
}

@Test func snippetNeverCutsInsideMath() {
    let text = #"We study the sample complexity of learning, which is $\mathcal{O}(n^2 \log n / \epsilon)$"#
        + " for the general case and improves to linear time for sparse inputs under mild assumptions."
    for maxLength in 30...90 {
        let snippet = Highlighter().snippet(of: text, terms: queryTerms("complexity log"), maxLength: maxLength)
        let dollars = snippet.text.filter { $0 == "$" }.count
        #expect(dollars % 2 == 0, "\(snippet.text)")
    }
}

@Test func highlightsWorkOnNonASCIIAndTeXSpellings() {
    let unicode = Highlighter().snippet(of: "Light Schrödinger Bridge", terms: queryTerms("schrodinger"))
    #expect(highlighted(unicode) == ["Schrödinger"])
    let tex = Highlighter().snippet(of: #"The Schr{\"o}dinger bridge problem"#, terms: queryTerms("Schrödinger"))
    #expect(highlighted(tex) == [#"Schr{\"o}dinger"#])
    let cjk = Highlighter().snippet(of: "大语言模型的推理", terms: queryTerms("模型"))
    #expect(highlighted(cjk) == ["模型"])
}

@Test func compoundAndItsPartsMergeIntoOneHighlight() {
    // Real: "…compare favorably with large language models (such as GPT-4), at a much lower…".
    let snippet = Highlighter().snippet(of: "large language models (such as GPT-4), at a much lower",
                                        terms: queryTerms("GPT-4 language model"))
    #expect(highlighted(snippet) == ["language", "models", "GPT-4"])
}

@Test func textWithoutMatchesGivesItsBeginning() throws {
    let abstract = try eaganAbstract()
    let snippet = Highlighter().snippet(of: abstract, terms: queryTerms("protein folding"), maxLength: 80)
    #expect(snippet.highlights.isEmpty)
    #expect(snippet.text.hasPrefix("Generative adversarial networks"))
    #expect(snippet.text.hasSuffix("…"))
    #expect(Highlighter().snippet(of: "", terms: ["x"]) == Snippet(text: "", highlights: []))
}

@Test func whitespaceRunsBecomeOneSpace() {
    // Real snapshot title, which keeps its line break.
    let title = "Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies"
    let snippet = Highlighter().snippet(of: title, terms: queryTerms("LHC"))
    #expect(snippet.text == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
    #expect(highlighted(snippet) == ["LHC"])
}

@Test func markedCanEscapeTheTextButNotTheMarks() {
    let snippet = Highlighter().snippet(of: "Token Recycling requires <2MB & speeds up decoding",
                                        terms: queryTerms("decoding"))
    let html = snippet.marked(open: "<mark>", close: "</mark>") { piece in
        piece.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
    #expect(html == "Token Recycling requires &lt;2MB &amp; speeds up <mark>decoding</mark>")
}
