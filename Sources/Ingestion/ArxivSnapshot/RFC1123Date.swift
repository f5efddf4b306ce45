import Foundation

/// Reads the dates arXiv writes in its version history (`Mon, 2 Apr 2007 19:18:42 GMT`).
///
/// Hand-written because the snapshot carries millions of them and `DateFormatter` is both slow
/// and locale-dependent; the calendar arithmetic is the proleptic Gregorian one, in UTC.
enum RFC1123Date {
    /// The instant `text` names, or nil when it is not `[Day,] D Mon YYYY HH:MM[:SS] [GMT|UTC|±HHMM]`.
    static func parse(_ text: String) -> Date? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    /// The instant the UTF-8 `text` names (see `parse(_:)` for the form).
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        var cursor = Cursor(text: text)
        cursor.skipSeparators()
        if cursor.peekIsLetter() {  // the weekday
            _ = cursor.word()
            cursor.skipSeparators()
        }
        guard let day = cursor.number(maxDigits: 2), (1...31).contains(day) else { return nil }
        cursor.skipSeparators()
        guard let month = monthNumber(cursor.word()) else { return nil }
        cursor.skipSeparators()
        guard let year = cursor.number(maxDigits: 4), year >= 1000 else { return nil }
        cursor.skipSeparators()
        guard let hour = cursor.number(maxDigits: 2), hour < 24, cursor.take(UInt8(ascii: ":")),
              let minute = cursor.number(maxDigits: 2), minute < 60 else { return nil }
        var second = 0
        if cursor.take(UInt8(ascii: ":")) {
            guard let value = cursor.number(maxDigits: 2), value <= 60 else { return nil }
            second = value
        }
        cursor.skipSeparators()
        guard let offset = cursor.zoneOffset() else { return nil }
        cursor.skipSeparators()
        guard cursor.isAtEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second - offset))
    }

    /// `Jan` … `Dec` in any case → 1 … 12.
    private static func monthNumber(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
        guard word.count >= 3 else { return nil }
        let key = (UInt32(word[0] | 0x20) << 16) | (UInt32(word[1] | 0x20) << 8) | UInt32(word[2] | 0x20)
        switch key {
        case 0x6A616E: return 1  // jan
        case 0x666562: return 2  // feb
        case 0x6D6172: return 3  // mar
        case 0x617072: return 4  // apr
        case 0x6D6179: return 5  // may
        case 0x6A756E: return 6  // jun
        case 0x6A756C: return 7  // jul
        case 0x617567: return 8  // aug
        case 0x736570: return 9  // sep
        case 0x6F6374: return 10  // oct
        case 0x6E6F76: return 11  // nov
        case 0x646563: return 12  // dec
        default: return nil
        }
    }

    /// Days since 1970-01-01 of a Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// A position in the date's bytes.
    private struct Cursor {
        let text: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { index == text.count }

        func peekIsLetter() -> Bool {
            index < text.count && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(text[index] | 0x20)
        }

        mutating func skipSeparators() {
            while index < text.count, text[index] == 0x20 || text[index] == 0x09 || text[index] == UInt8(ascii: ",") {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < text.count, text[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func word() -> UnsafeBufferPointer<UInt8> {
            let start = index
            while peekIsLetter() { index += 1 }
            return UnsafeBufferPointer(rebasing: text[start..<index])
        }

        mutating func number(maxDigits: Int) -> Int? {
            let start = index
            var value = 0
            while index < text.count, index - start < maxDigits, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
                value = value * 10 + Int(text[index] - UInt8(ascii: "0"))
                index += 1
            }
            return index > start ? value : nil
        }

        /// Seconds east of UTC for `GMT`, `UTC`, `UT`, `Z`, `±HHMM`, or nothing (UTC).
        mutating func zoneOffset() -> Int? {
            if isAtEnd { return 0 }
            if text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                let sign = text[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                let start = index
                guard let hhmm = number(maxDigits: 4), index - start == 4 else { return nil }
                return sign * ((hhmm / 100) * 3_600 + (hhmm % 100) * 60)
            }
            let name = word()
            let known: [StaticString] = ["GMT", "UTC", "UT", "Z"]
            let isUTC = known.contains { zone in
                zone.withUTF8Buffer { $0.elementsEqual(name) { $0 == $1 & ~0x20 } }  // any case
            }
            return isUTC ? 0 : nil
        }
    }
}
