import Foundation
import PaperboyTesting
import Testing
import TextAnalysis

/// Titles, abstracts and author lists of the first 200 real records of the arXiv snapshot.
private func snapshotFields() throws -> [String] {
    let url = Fixtures.shared("fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    return try lines.flatMap { line -> [String] in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        return ["title", "abstract", "authors"].compactMap { object[$0] as? String }
    }
}

private func terms(_ text: String, _ analyzer: TextAnalyzer = .names) -> [String] {
    analyzer.analyze(text).map(\.term)
}

private func sources(_ text: String, _ analyzer: TextAnalyzer = .names) -> [String] {
    let bytes = Array(text.utf8)
    return analyzer.analyze(text).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
}

@Test func mathIndexesItsSymbolsButNotCommandNames() {
    #expect(terms(#"$\mathcal{O}(n^2)$"#) == ["o", "n", "2"])
    #expect(terms(#"$\left(\frac{a}{b}\right)$ and $\mathbf{x}$"#) == ["a", "b", "and", "x"])
    // Real snapshot title: "Computing genus 2 Hilbert-Siegel modular forms over $\Q(\sqrt{5})$ via".
    #expect(terms(#"forms over $\Q(\sqrt{5})$ via"#) == ["forms", "over", "5", "via"])
    // Real snapshot title: "…tetragonal CeAg$_2$Ge$_2$ single crystal".
    #expect(terms(#"CeAg$_2$Ge$_2$ single"#) == ["ceag", "2", "ge", "2", "single"])
}

@Test func formattingCommandsVanishAndKeepTheirArgument() {
    #expect(terms(#"\emph{x}"#) == ["x"])
    // Real abstracts: "…rewrites (that we call {\em rewrite directives}) and…",
    // "Lion (Evo\textbf{Lved Sign Momentum})" and "\textbf{MoE-LoRA with Layer-wise Expert".
    #expect(terms(#"(that we call {\em rewrite directives})"#) == ["that", "we", "call", "rewrite", "directives"])
    #expect(terms(#"Lion (Evo\textbf{Lved Sign Momentum})"#) == ["lion", "evolved", "sign", "momentum"])
    #expect(terms(#"\textbf{MoE-LoRA with"#) == ["moe-lora", "moe", "lora", "with"])
    #expect(terms(#"\url{https://github.com/wenlinyao/HDFlow}"#) == ["https", "github", "com", "wenlinyao", "hdflow"])
}

@Test func accentCommandsJoinTheFoldedLetterToItsWord() {
    for text in [#"Schr{\"o}dinger"#, #"Schr\"odinger"#, #"Schr\"{o}dinger"#, #"Schr\" odinger"#, "Schrödinger"] {
        #expect(terms(text) == ["schrodinger"], "\(text)")
    }
    let accents: [(String, String)] = [
        (#"\'e"#, "e"), (#"\^a"#, "a"), (#"\~n"#, "n"), (#"\c{c}"#, "c"), (#"Stra\ss e"#, "strasse"),
        (#"\'{\i}"#, "i"), (#"{\O}bro"#, "obro"), (#"\v{S}r\'amek"#, "sramek"), (#"Gr\"obner"#, "grobner"),
    ]
    for (text, expected) in accents {
        #expect(terms(text) == [expected], "\(text)")
    }
    // Real abstracts: "Fr\'echet Inception Distance (FID)" and "[Gawrychowski and Uzna\'{n}ski, ICALP 2018".
    #expect(terms(#"Fr\'echet Inception Distance"#, .english) == terms("Fréchet inception distance", .english))
    #expect(terms(#"Uzna\'{n}ski, ICALP 2018"#) == ["uznanski", "icalp", "2018"])
}

@Test func greekLetterNamesAreIndexedAsWords() {
    // Real snapshot title: "From dyadic $\Lambda_{\alpha}$ to $\Lambda_{\alpha}$".
    #expect(terms(#"From dyadic $\Lambda_{\alpha}$ to $\Lambda_{\alpha}$"#)
        == ["from", "dyadic", "lambda", "alpha", "to", "lambda", "alpha"])
    #expect(terms(#"$\alpha\beta$ $\varepsilon$-greedy"#) == ["alpha", "beta", "epsilon-greedy", "epsilon", "greedy"])
    #expect(terms(#"$\alpha x$ $\log n$"#) == ["alpha", "x", "log", "n"])
}

@Test func tildeAndDoubleBackslashSeparateWords() {
    #expect(terms(#"Fig.~3 shows a\\b"#) == ["fig", "3", "shows", "a", "b"])
}

@Test func citationsLabelsAndEnvironmentsVanishWithTheirArgument() {
    #expect(terms(#"as shown in \cite[p.~3]{smith2020} and Eq.~\eqref{eq:loss}"#)
        == ["as", "shown", "in", "and", "eq"])
    #expect(terms(#"\begin{abstract}Text\end{abstract}"#) == ["text"])
}

@Test func escapedCharactersStayLiteralAndSeparateWords() {
    // Real abstracts: "pass rates over 75\% higher" and "requires \textless2MB of additional storage".
    #expect(TeXCleanup.clean(#"over 75\% higher"#).text == "over 75% higher")
    #expect(TeXCleanup.clean(#"requires \textless2MB of"#).text == "requires <2MB of")
    #expect(terms(#"requires \textless2MB of"#) == ["requires", "2mb", "2", "mb", "of"])
}

@Test func cleanTextReadsLikeTheTypesetText() {
    #expect(TeXCleanup.clean(#"$\mathcal{O}(n^2)$"#).text == "O(n^2)")
    #expect(TeXCleanup.clean(#"Fr\'echet"#).text == "Fréchet")
    #expect(TeXCleanup.clean(#"Schr{\"o}dinger"#).text == "Schrödinger")
    #expect(TeXCleanup.clean("no markup at all").text == "no markup at all")
}

@Test func tokenOffsetsPointIntoTheOriginalTeX() {
    #expect(sources(#"Schr{\"o}dinger on $\alpha$-stable laws"#)
        == [#"Schr{\"o}dinger"#, "on", #"\alpha$-stable"#, #"\alpha"#, "stable", "laws"])
    #expect(sources(#"$\mathcal{O}(n^2)$ time"#) == ["O", "n", "2", "time"])
    #expect(sources(#"caf\'e"#) == [#"caf\'e"#])

    let cleaned = TeXCleanup.clean(#"a \emph{bc} d"#)
    #expect(cleaned.text == "a bc d")
    #expect(cleaned.sourceRange(of: 2..<4) == 8..<10)
}

@Test func realSnapshotRecordsLeaveNoMarkupInTerms() throws {
    let fields = try snapshotFields()
    #expect(fields.count == 600)
    let commandNames: Set = ["mathcal", "frac", "mathbf", "emph", "textit", "textbf", "cite", "mathrm", "sqrt"]
    for field in fields {
        for token in TextAnalyzer.english.analyze(field) {
            #expect(!commandNames.contains(token.term), "\(token.term) in \(field)")
            #expect(token.term.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil
                || $0 == "." || $0 == "-" }, "\(token.term)")
            #expect(token.start < token.end && token.end <= field.utf8.count)
        }
    }
    // Real author lists: "Rastislav \v{S}r\'amek, Bro\v{n}a Brejov\'a" and "C. Bal\'azs".
    let authors = fields.filter { $0.contains(#"\v{S}r\'amek"#) || $0.contains(#"Bal\'azs"#) }
    let names = Set(authors.flatMap { terms($0) })
    #expect(names.isSuperset(of: ["sramek", "brona", "brejova", "balazs"]))
}

@Test func everyPrefixOfRealTeXAbstractsCleansToValidTextAndInBoundsTokens() throws {
    let abstracts = try snapshotFields().filter { $0.contains("\\") || $0.contains("$") }.prefix(12)
    #expect(abstracts.count == 12)
    for abstract in abstracts {
        let characters = Array(abstract)
        for length in stride(from: 0, through: characters.count, by: 5) {
            let prefix = String(characters[..<length])
            let cleaned = TeXCleanup.clean(prefix)
            #expect(String(validating: cleaned.utf8, as: UTF8.self) != nil, "\(prefix)")
            for token in TextAnalyzer.english.analyze(prefix) {
                #expect(token.start < token.end && token.end <= prefix.utf8.count, "\(prefix)")
            }
        }
    }
    for text in ["a\\ö b", "\\\u{301}x", "\\ss", "\\\"", "\\c", "\\cite{unclosed", "{\\\"{o"] {
        #expect(String(validating: TeXCleanup.clean(text).utf8, as: UTF8.self) != nil, "\(text)")
    }
}
