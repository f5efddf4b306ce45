import Foundation

/// Reads the XML Schema date forms arXiv's feeds use: `xs:dateTime` (`2012-04-02T12:38:54Z`,
/// `2016-10-09T00:00:00-04:00`, fractional seconds allowed, no zone read as UTC) and `xs:date`
/// (`2008-06-27`, midnight UTC).
///
/// Hand-written on bytes: `ISO8601DateFormatter` is slow and not `Sendable`, and the calendar
/// arithmetic is shared with `RFC1123Date`.
enum XMLDateTime {
    static func parse(_ text: String) -> Date? {
        var bytes = Substring(text).utf8[...]
        while let first = bytes.first, XMLByte.isWhitespace(first) { bytes.removeFirst() }
        while let last = bytes.last, XMLByte.isWhitespace(last) { bytes.removeLast() }
        guard let year = number(&bytes, digits: 4), take(&bytes, "-"),
              let month = number(&bytes, digits: 2), take(&bytes, "-"),
              let day = number(&bytes, digits: 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = RFC1123Date.daysFromCivil(year: year, month: month, day: day) * 86_400
        if take(&bytes, "T") || take(&bytes, " ") {
            guard let hour = number(&bytes, digits: 2), take(&bytes, ":"), let minute = number(&bytes, digits: 2),
                  hour < 24, minute < 60 else { return nil }
            var second = 0
            if take(&bytes, ":") {
                guard let value = number(&bytes, digits: 2), value <= 60 else { return nil }
                second = value
                if take(&bytes, ".") {
                    while let first = bytes.first, isDigit(first) { bytes.removeFirst() }
                }
            }
            seconds += hour * 3_600 + minute * 60 + second
        }
        if take(&bytes, "Z") || bytes.isEmpty {
            return bytes.isEmpty ? Date(timeIntervalSince1970: TimeInterval(seconds)) : nil
        }
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        bytes.removeFirst()
        guard let hours = number(&bytes, digits: 2) else { return nil }
        _ = take(&bytes, ":")
        guard let minutes = number(&bytes, digits: 2), bytes.isEmpty, hours <= 14, minutes < 60 else { return nil }
        let offset = (hours * 3_600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        return Date(timeIntervalSince1970: TimeInterval(seconds - offset))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func number(_ bytes: inout Substring.UTF8View.SubSequence, digits: Int) -> Int? {
        guard bytes.count >= digits else { return nil }
        var value = 0
        for byte in bytes.prefix(digits) {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        bytes.removeFirst(digits)
        return value
    }

    private static func take(_ bytes: inout Substring.UTF8View.SubSequence, _ character: Unicode.Scalar) -> Bool {
        guard bytes.first == UInt8(ascii: character) else { return false }
        bytes.removeFirst()
        return true
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
