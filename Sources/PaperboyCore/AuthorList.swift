import Foundation

/// Splits arXiv's one-line author lists (`A. Einstein, B. Podolsky and N. Rosen`) into names.
public enum AuthorList {
    /// Names in order. Separators are commas and the word `and`; text in parentheses
    /// (affiliations such as `(CERN)`) is dropped, and commas inside parentheses do not split.
    public static func split(_ text: String) -> [String] {
        var names: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(":
                depth += 1
            case ")":
                depth = max(0, depth - 1)
            case "," where depth == 0, ";" where depth == 0:
                names.append(current)
                current = ""
            default:
                if depth == 0 { current.append(character) }
            }
        }
        names.append(current)
        return names
            .flatMap { $0.collapsingWhitespace.components(separatedBy: " and ") }
            .map { name in
                var trimmed = name.collapsingWhitespace
                if trimmed.hasPrefix("and ") { trimmed.removeFirst(4) }
                return trimmed
            }
            .filter { !$0.isEmpty }
    }
}
