/// The character classes of RFC 5322 that addresses, ids and header values are checked against.
/// Everything that reaches a header goes through one of these checks or through an encoding,
/// which is what makes header injection impossible.
enum HeaderText {
    /// RFC 5322 `atext`: what a dot-atom may hold besides dots.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    /// RFC 5322 `dot-atom-text`: atext runs separated by single dots, no dot at either end.
    static func isDotAtom<S: StringProtocol>(_ text: S) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, first != UInt8(ascii: "."), last != UInt8(ascii: ".") else {
            return false
        }
        var previousWasDot = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
            } else {
                guard isAtext(byte) else { return false }
                previousWasDot = false
            }
        }
        return true
    }

    /// Why `text` cannot be part of a header even when encoded, or nil when it can: line breaks,
    /// NUL and other control characters are refused rather than encoded, because a reader's
    /// program shows them in ways nobody intends and a line break is the start of every injection.
    static func controlCharacterProblem(_ text: String) -> String? {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0D, 0x0A: return "contains a line break (CR or LF), which a header cannot hold"
            case 0x00: return "contains a NUL character"
            case 0x01...0x1F, 0x7F, 0x80...0x9F: return "contains the control character U+\(hex4(scalar.value))"
            default: continue
            }
        }
        return nil
    }

    /// Whether every byte is printable ASCII (space through tilde).
    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
