import Foundation

/// The normalized form of a title used to recognize the same paper across sources that carry
/// no shared identifier: compatibility-normalized, case- and accent-folded, TeX accents
/// resolved, punctuation dropped, words joined by single spaces.
///
/// `Fr\'echet Inception Distance`, `Fréchet inception distance` and `FRECHET: Inception
/// Distance` all give `frechet inception distance`.
public enum TitleKey {
    public static func normalize(_ title: String) -> String {
        // Nearly every title is ASCII (TeX included): there the key is a lowercasing on bytes,
        // while Foundation's Unicode folding costs tens of microseconds a title on Linux.
        var title = title
        if let key = title.withUTF8(asciiKey) { return key }
        return unicodeNormalize(title)
    }

    /// The general path, for titles with any non-ASCII character.
    static func unicodeNormalize(_ title: String) -> String {
        let withoutTeX = stripTeXAccents(title)
        let folded = withoutTeX.precomposedStringWithCompatibilityMapping
            .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current.removeAll()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words.joined(separator: " ")
    }

    /// Removes TeX accent commands (`\'e`, `{\"o}`, `\v{c}`) and braces so the accented letter
    /// stays; other commands keep their name as a word (`\alpha` → `alpha`).
    static func stripTeXAccents(_ text: String) -> String {
        let accentLetters: Set<Character> = ["u", "v", "H", "c", "k", "r", "d", "b", "t"]
        let chars = Array(text)
        var out = ""
        out.reserveCapacity(chars.count)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                if !next.isLetter {
                    i += 2  // \' \" \` \^ \~ \= \. and escaped symbols
                    continue
                }
                if accentLetters.contains(next), i + 2 < chars.count, chars[i + 2] == "{" || chars[i + 2] == " " {
                    i += 2
                    continue
                }
                out.append(" ")
                i += 1
                continue
            }
            if c == "{" || c == "}" || c == "$" {
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
