import Foundation
import PaperboyTesting
import Testing
import TextAnalysis

/// The official Snowball English test vocabulary: each word with its expected stem.
private struct SnowballVocabulary {
    var words: [String]
    var stems: [String]

    init() throws {
        words = try Self.lines(of: "fixtures/snowball-english/voc.txt")
        stems = try Self.lines(of: "fixtures/snowball-english/output.txt")
    }

    private static func lines(of path: String) throws -> [String] {
        let text = try String(contentsOf: Fixtures.shared(path), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

struct EnglishStemmerTests {
    let stemmer = EnglishStemmer()

    @Test func agreesWithTheOfficialVocabularyOnEveryWord() throws {
        let vocabulary = try SnowballVocabulary()
        #expect(vocabulary.words.count == 42_649)
        #expect(vocabulary.stems.count == vocabulary.words.count)

        var mismatches: [String] = []
        var agreeing = 0
        for (index, (word, expected)) in zip(vocabulary.words, vocabulary.stems).enumerated() {
            let viaString = stemmer.stem(word)
            let viaBytes = String(decoding: stemmer.stem(utf8: Array(word.utf8)), as: UTF8.self)
            var inPlace = Array(word.utf8)
            stemmer.stemInPlace(utf8: &inPlace)
            let viaInPlace = String(decoding: inPlace, as: UTF8.self)
            if viaString == expected, viaBytes == expected, viaInPlace == expected {
                agreeing += 1
            } else {
                mismatches.append("line \(index + 1): \(word) → \(viaString) / \(viaBytes) / \(viaInPlace), expected \(expected)")
            }
        }
        print("EnglishStemmer agrees on \(agreeing) / \(vocabulary.words.count) words")
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first ones:\n\(mismatches.prefix(20).joined(separator: "\n"))")
    }

    @Test func reportsThroughputOnTheVocabulary() throws {
        let words = try SnowballVocabulary().words.map { Array($0.utf8) }
        let rounds = 20
        var totalBytes = 0
        let elapsed = ContinuousClock().measure {
            for _ in 0..<rounds {
                for word in words { totalBytes &+= stemmer.stem(utf8: word).count }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let wordsPerSecond = Double(words.count * rounds) / seconds
        print("EnglishStemmer throughput: \(Int(wordsPerSecond)) words/s (\(words.count * rounds) words, \(totalBytes) stem bytes)")
    }

    @Test func stemsExceptionalFormsAsTheAlgorithmSays() {
        let expected = [
            "skis": "ski", "skies": "sky", "idly": "idl", "gently": "gentl", "ugly": "ugli",
            "early": "earli", "only": "onli", "singly": "singl",
            "sky": "sky", "news": "news", "howe": "howe",
            "atlas": "atlas", "cosmos": "cosmos", "bias": "bias", "andes": "andes",
        ]
        for (word, stem) in expected {
            #expect(stemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test func derivesDyingLyingTyingFromTheConsonantYingRule() {
        #expect(stemmer.stem("dying") == "die")
        #expect(stemmer.stem("lying") == "lie")
        #expect(stemmer.stem("tying") == "tie")
        #expect(stemmer.stem("saying") == "say")
    }

    @Test func keepsTheWordsThatOnlyLookInflected() {
        for word in ["inning", "outing", "canning", "herring", "earring", "evening", "proceed", "exceed", "succeed"] {
            #expect(stemmer.stem(word) == word)
        }
        #expect(stemmer.stem("innings") == "inning")
        #expect(stemmer.stem("proceedings") == "proceed")
    }

    @Test func fixesRegionOneAfterTheListedFirstSyllables() {
        #expect(stemmer.stem("generously") == "generous")
        #expect(stemmer.stem("universal") == "universal")
        #expect(stemmer.stem("laterally") == "lateral")
        #expect(stemmer.stem("pastes") == "paste")
        #expect(stemmer.stem("biologists") == "biolog")
    }

    @Test func leavesShortWordsUnchanged() {
        for word in ["", "a", "is", "as", "''", "éa", "ǆy"] {
            #expect(stemmer.stem(word) == word)
            #expect(stemmer.stem(utf8: Array(word.utf8)) == Array(word.utf8))
        }
    }

    /// Expected stems from the reference Snowball implementation: a multi-byte character is one
    /// non-vowel, so word length, `hop` and short syllables count it once.
    @Test func treatsNonASCIICharactersAsSingleNonVowels() {
        let expected = [
            "naïvely": "naïv", "cafés": "café", "résumés": "résumé", "façades": "façad",
            "fiancée": "fiancé", "œuvres": "œuvr", "éas": "éas", "éying": "éie", "ñying": "ñie",
            "ǆies": "ǆie", "aǆed": "aǆe", "hopéd": "hopéd", "brûlée": "brûlée", "’s": "’s",
        ]
        for (word, stem) in expected {
            #expect(stemmer.stem(word) == stem, "\(word)")
            #expect(stemmer.stem(utf8: Array(word.utf8)) == Array(stem.utf8), "\(word)")
        }
    }

    @Test func marksConsonantYAndRestoresIt() {
        #expect(stemmer.stem("sayings") == "say")
        #expect(stemmer.stem("yying") == "yie")
        #expect(stemmer.stem("ayyy") == "ayyy")
        #expect(stemmer.stem("'as") == "as")
        #expect(stemmer.stem("'''") == "'")
    }
}
