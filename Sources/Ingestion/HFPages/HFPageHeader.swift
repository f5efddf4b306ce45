import PaperboyCore

/// The header every Hugging Face papers page starts with when saved as text: four fixed lines
/// of page chrome, then the day the page lists (`Mar 13`). Detection and parsing share it.
enum HFPageHeader {
    static let fixedLines = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community"]

    /// Whether the first non-blank lines of `text` are the fixed header lines.
    static func starts(_ text: ArraySlice<UInt8>) -> Bool {
        var expected = fixedLines[...]
        for line in text.split(separator: 0x0A, omittingEmptySubsequences: true) {
            guard let wanted = expected.first else { return true }
            let trimmed = String(decoding: line, as: UTF8.self).trimmingWhitespace
            if trimmed.isEmpty { continue }
            guard trimmed == wanted else { return false }
            expected = expected.dropFirst()
        }
        return expected.isEmpty
    }

    /// Whether `line` is the page's day: a month name and a day (`Mar 13`), maybe a year (`Mar 13, 2024`).
    static func isDateLine(_ line: String) -> Bool {
        let parts = line.split(separator: " ")
        guard parts.count == 2 || parts.count == 3 else { return false }
        let month = parts[0]
        guard (3...9).contains(month.count), month.first?.isUppercase == true, month.allSatisfy(\.isLetter) else { return false }
        let day = parts[1].hasSuffix(",") ? parts[1].dropLast() : parts[1]
        guard (1...2).contains(day.count), day.allSatisfy(\.isASCII), let number = Int(day), (1...31).contains(number) else {
            return false
        }
        guard parts.count == 3 else { return true }
        return parts[2].count == 4 && Int(parts[2]) != nil
    }
}
