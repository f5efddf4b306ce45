import Foundation
import PaperboyTesting
import Testing
import TextAnalysis

@Test func diacriticsAreFoldedAway() {
    // Real titles: "Light Schrödinger Bridge", "Ragnarök: A Reusable RAG Framework…".
    #expect(CharacterFolding.fold("Schrödinger") == "schrodinger")
    #expect(CharacterFolding.fold("Ragnarök") == "ragnarok")
    #expect(CharacterFolding.fold("naïve") == "naive")
    #expect(CharacterFolding.fold("Fréchet") == "frechet")
    #expect(CharacterFolding.fold("Fre\u{301}chet") == "frechet")  // decomposed input
}

@Test func compatibilityFormsBecomePlainLetters() {
    #expect(CharacterFolding.fold("ﬁnetuning") == "finetuning")
    #expect(CharacterFolding.fold("ＧＰＴ") == "gpt")
    #expect(CharacterFolding.fold("４２") == "42")
    #expect(CharacterFolding.fold("n²") == "n2")
}

@Test func caseFoldingSpellsOutSharpS() {
    #expect(CharacterFolding.fold("Straße") == "strasse")
    #expect(CharacterFolding.fold("STRASSE") == "strasse")
}

@Test func strokedLettersFoldToTheLetterReadersType() {
    #expect(CharacterFolding.fold("Ørsted") == "orsted")
    #expect(CharacterFolding.fold("Łódź") == "lodz")
    #expect(CharacterFolding.fold("Æsir") == "aesir")
}

@Test func otherScriptsAreLowercasedAndKeepTheirLetters() {
    #expect(CharacterFolding.fold("ΣΟΦΙΑ") == "σοφια")
    #expect(CharacterFolding.fold("σοφός") == "σοφοσ")
    #expect(CharacterFolding.fold("Привет") == "привет")
    #expect(CharacterFolding.fold("हिन्दी") == "हिन्दी")
    #expect(CharacterFolding.fold("模型") == "模型")
}

@Test func punctuationFromNormalizationIsDroppedButDecimalPointsStay() {
    #expect(CharacterFolding.fold("½") == "12")
    #expect(CharacterFolding.fold("１.５") == "1.5")
    #expect(CharacterFolding.fold("3.14") == "3.14")
    #expect(CharacterFolding.fold("v1.") == "v1")
}

@Test func asciiWordsOfRealAbstractsFoldToTheirLowercase() throws {
    let text = try Fixtures.hfPages.map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
    let words = text.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    #expect(words.count > 50_000)
    for word in Set(words) {
        let folded = CharacterFolding.fold(word)
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            #expect(folded == word.lowercased(), "\(word)")
        }
        #expect(CharacterFolding.fold(folded) == folded, "folding \(word) twice changes it")
    }
}
