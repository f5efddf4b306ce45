import Foundation
import PaperboyCore

/// Writing to the terminal: sentences on standard output, errors on standard error.
enum Terminal {
    /// Whether standard output is a terminal (bold marks, not `**`).
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// Something the reader should know that is not an error (on standard error, so
    /// `--json` output stays clean).
    static func printNotice(_ message: String) {
        FileHandle.standardError.write(Data("note: \(message)\n".utf8))
    }

    /// `2026-06-11` for a paper date (UTC).
    static func day(_ date: Date?) -> String {
        date.map(UTCDay.string) ?? "—"
    }

    /// Wraps text to `width` columns with an indent, for abstracts in `show`.
    static func wrap(_ text: String, width: Int = 88, indent: String = "  ") -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + word.count + 1 > width - indent.count {
                lines.append(indent + line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(indent + line) }
        return lines.joined(separator: "\n")
    }
}

/// Machine output for `--json`: one JSON document, keys sorted, ISO-8601 dates.
enum JSONOutput {
    static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension Int {
    /// `1,234,567`: counts a person reads.
    var formatted: String {
        let digits = String(self.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (self < 0 ? "-" : "") + out
    }
}
