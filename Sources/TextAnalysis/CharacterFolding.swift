import Foundation

/// Folds a word to the form readers' queries and papers' text meet in: Unicode NFKC
/// (ligatures and full-width forms become plain letters), case folding (`ß` → `ss`) and
/// diacritics removed (`Schrödinger` → `schrodinger`), so a reader who types plain ASCII
/// finds the accented spelling and the other way round.
public enum CharacterFolding {
    /// The folded form of one word. ASCII is only lowercased; other text goes through
    /// Foundation's folding, then letters it leaves alone that English readers type without
    /// their stroke (`ø`, `ł`, `æ`…) are spelled out, and what is not a letter, digit or mark
    /// is dropped (NFKC can produce punctuation, as `½` → `1⁄2`).
    public static func fold(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return asciiFold(word) }
        let folded = word.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var result = String.UnicodeScalarView()
        let scalars = Array(folded.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if let spelled = strokedLetters[scalar] {
                result.append(contentsOf: spelled.unicodeScalars)
            } else if isWordScalar(scalar) {
                result.append(scalar)
            } else if scalar == ".", index > 0, index + 1 < scalars.count,
                      isDigit(scalars[index - 1]), isDigit(scalars[index + 1]) {
                result.append(scalar)  // a decimal point stays, as it does in ASCII numbers
            }
        }
        return String(result)
    }

    /// Lowercases ASCII letters and keeps letters, digits and decimal points, as `fold` does.
    private static func asciiFold(_ word: String) -> String {
        var word = word
        return word.withUTF8 { source in
            String(unsafeUninitializedCapacity: source.count) { output in
                var written = 0
                for (index, byte) in source.enumerated() {
                    let lower = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                    let keep: Bool
                    if lower &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 {
                        keep = true
                    } else if byte == UInt8(ascii: "."), index > 0, index + 1 < source.count {
                        keep = source[index - 1] &- UInt8(ascii: "0") < 10 && source[index + 1] &- UInt8(ascii: "0") < 10
                    } else {
                        keep = false
                    }
                    if keep {
                        output[written] = lower
                        written += 1
                    }
                }
                return written
            }
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true  // Devanagari, Thai, Hebrew…
        default: return false
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.numericType != nil
    }

    /// Letters without a Unicode decomposition, which diacritics folding therefore keeps,
    /// spelled the way English text and queries write them (as Lucene's ASCII folding does).
    private static let strokedLetters: [Unicode.Scalar: String] = [
        "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ƀ": "b", "ı": "i",
        "æ": "ae", "œ": "oe", "þ": "th", "ŋ": "n", "ĸ": "k",
    ]
}
