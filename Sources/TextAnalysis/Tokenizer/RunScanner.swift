/// What the tokenizer needs to know about one character to find word boundaries.
enum CharacterClass: Equatable {
    case separator
    case letter
    case digit
    /// A CJK ideograph: a word on its own, never joined to its neighbours.
    case ideograph
    /// `-` and the Unicode hyphens that join the parts of a compound (`gpt-4`).
    case hyphen
    /// `'` and `’`, which join name parts (`O'Brien`) and mark possessives (`model's`).
    case apostrophe
    /// A combining mark, joiner or soft hyphen: it continues the letter or digit before it.
    case mark
}

/// One maximal piece of a run: only letters or only digits (a decimal number included).
struct Segment {
    var start: Int
    var end: Int
    var isDigits: Bool
    /// Whether every byte is ASCII, so the term is a lowercasing of the bytes.
    var isASCII: Bool
    /// Whether a hyphen (kept in the compound's term) rather than nothing or an apostrophe
    /// (both dropped) joins this segment to the one before.
    var followsHyphen: Bool
}

/// Classifies characters of UTF-8 text and finds runs: letters and digits joined by inner
/// hyphens, apostrophes and letter↔digit boundaries. ASCII is classified by arithmetic;
/// other characters by their Unicode properties.
struct RunScanner {
    let bytes: UnsafeBufferPointer<UInt8>

    /// The class and UTF-8 length of the character starting at `index`.
    @inline(__always)
    func characterClass(at index: Int) -> (CharacterClass, Int) {
        let byte = bytes[index]
        if byte < 0x80 { return (Self.asciiClass(byte), 1) }
        let (scalar, length) = decodeScalar(at: index)
        return (Self.unicodeClass(scalar), length)
    }

    @inline(__always)
    static func asciiClass(_ byte: UInt8) -> CharacterClass {
        if (byte | 0x20) &- UInt8(ascii: "a") < 26 { return .letter }
        if byte &- UInt8(ascii: "0") < 10 { return .digit }
        if byte == UInt8(ascii: "-") { return .hyphen }
        if byte == UInt8(ascii: "'") { return .apostrophe }
        return .separator
    }

    static func unicodeClass(_ scalar: Unicode.Scalar) -> CharacterClass {
        switch scalar.value {
        case 0x2010, 0x2011, 0xFE63, 0xFF0D: return .hyphen
        case 0x2019, 0xFF07: return .apostrophe
        case 0x00AD, 0x200C, 0x200D: return .mark
        default: break
        }
        let properties = scalar.properties
        if properties.isIdeographic { return .ideograph }
        if properties.numericType == .decimal { return .digit }
        if properties.isAlphabetic { return .letter }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .otherNumber: return .digit  // superscripts and circled digits: NFKC makes them digits
        default: return .separator
        }
    }

    /// Decodes the scalar at `index` of valid UTF-8 (Swift strings are always valid).
    @inline(__always)
    func decodeScalar(at index: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[index])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = lead & (0x7F >> UInt32(length))
        for offset in 1..<length {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// Whether the character at `index` ends a run (end of text or not a letter, digit or mark).
    private func isRunBoundary(at index: Int) -> Bool {
        guard index < bytes.count else { return true }
        switch characterClass(at: index).0 {
        case .letter, .digit, .mark: return false
        default: return true
        }
    }

    @inline(__always)
    private func isASCIIDigit(at index: Int) -> Bool {
        index < bytes.count && bytes[index] &- UInt8(ascii: "0") < 10
    }

    /// Scans the run starting at `start` (a letter or digit of `length` bytes) into
    /// `segments` and returns where the run's source span ends, which covers a dropped
    /// possessive `'s`.
    func scanRun(from start: Int, class firstClass: CharacterClass, length firstLength: Int,
                 into segments: inout [Segment]) -> Int {
        segments.removeAll(keepingCapacity: true)
        let count = bytes.count
        var current = Segment(start: start, end: start, isDigits: firstClass == .digit,
                              isASCII: firstLength == 1, followsHyphen: false)
        var currentClass = firstClass
        var index = start + firstLength
        while index < count {
            let byte = bytes[index]
            // The hot loop: ASCII letters continuing a word.
            if currentClass == .letter, (byte | 0x20) &- UInt8(ascii: "a") < 26 {
                index += 1
                continue
            }
            let (nextClass, length) = characterClass(at: index)
            if nextClass == currentClass || nextClass == .mark {
                if length > 1 { current.isASCII = false }
                index += length
                continue
            }
            if currentClass == .digit, byte == UInt8(ascii: "."), isASCIIDigit(at: index + 1) {
                index += 2  // a decimal point inside a number: `1.5`, `0.01`, `2.5` in `qwen2.5`
                continue
            }
            current.end = index
            segments.append(current)
            var joinerIsHyphen = false
            var partStart = index
            switch nextClass {
            case .letter, .digit:
                break
            case .hyphen, .apostrophe:
                partStart = index + length
                guard partStart < count else { return index }
                let (afterClass, _) = characterClass(at: partStart)
                if nextClass == .apostrophe {
                    guard afterClass == .letter else { return index }
                    if bytes[partStart] | 0x20 == UInt8(ascii: "s"), isRunBoundary(at: partStart + 1) {
                        return partStart + 1  // possessive: the span covers `'s`, no term does
                    }
                } else {
                    guard afterClass == .letter || afterClass == .digit else { return index }
                    joinerIsHyphen = true
                }
            default:
                return index
            }
            let (partClass, partLength) = characterClass(at: partStart)
            current = Segment(start: partStart, end: partStart, isDigits: partClass == .digit,
                              isASCII: partLength == 1, followsHyphen: joinerIsHyphen)
            currentClass = partClass
            index = partStart + partLength
        }
        current.end = index
        segments.append(current)
        return index
    }
}
