/// A word being stemmed: UTF-8 bytes edited in place, with the regions R1 and R2.
///
/// Edits only ever shorten the word or rewrite bytes it had, except step 1b's final `e`,
/// which follows the removal of a longer suffix; so the caller's buffer of the word's
/// original length always suffices.
struct StemmingWord {
    let bytes: UnsafeMutablePointer<UInt8>
    /// The word's current length in bytes.
    var count: Int
    /// Where R1 starts (a byte offset; `count` when R1 is empty).
    var r1 = 0
    /// Where R2 starts (a byte offset; `count` when R2 is empty).
    var r2 = 0
    /// Whether the prelude marked some `y` as a consonant `Y`, which the postlude undoes.
    var markedY = false

    init(bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    // MARK: Prelude, regions, postlude

    /// Drops one leading apostrophe and marks consonant `y`s (initial, or after a vowel) as `Y`.
    mutating func prelude() {
        if count > 0, bytes[0] == UInt8(ascii: "'") {
            for index in 1..<count { bytes[index - 1] = bytes[index] }
            count -= 1
        }
        guard count > 0 else { return }
        if bytes[0] == UInt8(ascii: "y") {
            bytes[0] = UInt8(ascii: "Y")
            markedY = true
        }
        var index = 1
        while index < count {
            if bytes[index] == UInt8(ascii: "y"), Self.isVowel(bytes[index - 1]) {
                bytes[index] = UInt8(ascii: "Y")
                markedY = true
            }
            index += 1
        }
    }

    /// Sets R1 after the first non-vowel that follows a vowel (or after one of the listed
    /// first syllables) and R2 after the next such non-vowel.
    mutating func markRegions() {
        r1 = count
        r2 = count
        guard let start1 = exceptionalFirstSyllableLength() ?? endOfFirstVowelConsonant(from: 0) else { return }
        r1 = start1
        guard let start2 = endOfFirstVowelConsonant(from: start1) else { return }
        r2 = start2
    }

    /// The offset just past the first non-vowel character that follows a vowel at or after `start`.
    private func endOfFirstVowelConsonant(from start: Int) -> Int? {
        var index = start
        while index < count, !Self.isVowel(bytes[index]) { index += 1 }
        index += 1
        while index < count, Self.isVowel(bytes[index]) { index += 1 }
        guard index < count else { return nil }
        index += 1
        while index < count, Self.isContinuationByte(bytes[index]) { index += 1 }
        return index
    }

    /// The length of a first syllable the algorithm fixes R1 after, because the usual rule
    /// would cut too short (`gener-al`, `univers-al`), or nil.
    private func exceptionalFirstSyllableLength() -> Int? {
        guard count >= 4 else { return nil }
        switch bytes[0] {
        case UInt8(ascii: "a"): return startsWith("arsen") ? 5 : nil
        case UInt8(ascii: "c"): return startsWith("commun") ? 6 : nil
        case UInt8(ascii: "e"): return startsWith("emerg") ? 5 : nil
        case UInt8(ascii: "g"): return startsWith("gener") ? 5 : nil
        case UInt8(ascii: "i"): return startsWith("inter") ? 5 : nil
        case UInt8(ascii: "l"): return startsWith("later") ? 5 : nil
        case UInt8(ascii: "o"): return startsWith("organ") ? 5 : nil
        case UInt8(ascii: "p"): return startsWith("past") ? 4 : nil
        case UInt8(ascii: "u"): return startsWith("univers") ? 7 : nil
        default: return nil
        }
    }

    /// Turns the prelude's consonant `Y`s back into `y`.
    mutating func postlude() {
        guard markedY else { return }
        for index in 0..<count where bytes[index] == UInt8(ascii: "Y") {
            bytes[index] = UInt8(ascii: "y")
        }
    }

    // MARK: Helpers for the steps

    /// Whether `byte` continues a multi-byte UTF-8 character rather than starting one.
    @inline(__always)
    static func isContinuationByte(_ byte: UInt8) -> Bool {
        byte & 0xC0 == 0x80
    }

    /// The English algorithm's vowels, `aeiouy`; a `Y` marked as a consonant is not one.
    @inline(__always)
    static func isVowel(_ byte: UInt8) -> Bool {
        // One bit per letter from `a`: a, e, i, o, u, y. A shift beats a switch in the hot loops.
        let offset = UInt32(byte &- UInt8(ascii: "a"))
        return offset < 26 && (0x0110_4111 as UInt32) >> offset & 1 != 0
    }

    /// Whether `bytes[0..<count]` of a word is exactly `literal`.
    @inline(__always)
    static func bytes(_ bytes: UnsafeMutablePointer<UInt8>, count: Int, equal literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<count where bytes[index] != expected[index] { return false }
        return true
    }

    /// Whether the word begins with `prefix`.
    func startsWith(_ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard count >= length else { return false }
        let literal = prefix.utf8Start
        for index in 0..<length where bytes[index] != literal[index] { return false }
        return true
    }

    /// Whether the word ends with `suffix`.
    @inline(__always)
    func endsWith(_ suffix: StaticString) -> Bool {
        let length = suffix.utf8CodeUnitCount
        guard count >= length else { return false }
        let start = count - length
        let literal = suffix.utf8Start
        for index in 0..<length where bytes[start + index] != literal[index] { return false }
        return true
    }

    /// Whether `bytes[0..<end]` is exactly `literal`.
    func prefix(upTo end: Int, equals literal: StaticString) -> Bool {
        Self.bytes(bytes, count: end, equal: literal)
    }

    /// Replaces everything from `start` on with `replacement`, which is no longer than what it replaces.
    @inline(__always)
    mutating func replace(from start: Int, with replacement: StaticString) {
        let length = replacement.utf8CodeUnitCount
        assert(start + length <= count, "a replacement must not grow the word")
        let literal = replacement.utf8Start
        for index in 0..<length { bytes[start + index] = literal[index] }
        count = start + length
    }

    /// The offset where the character ending just before `index` starts (`index` > 0).
    @inline(__always)
    func characterStart(before index: Int) -> Int {
        var start = index - 1
        while start > 0, Self.isContinuationByte(bytes[start]) { start -= 1 }
        return start
    }

    /// Whether some vowel occurs before `end`.
    func containsVowel(before end: Int) -> Bool {
        var index = 0
        while index < end {
            if Self.isVowel(bytes[index]) { return true }
            index += 1
        }
        return false
    }

    /// Whether the text before `end` ends in a short syllable: non-vowel (not `w`, `x`, `Y`),
    /// vowel, non-vowel; or vowel, non-vowel at the very start; or `past`.
    func endsInShortSyllable(at end: Int) -> Bool {
        if end >= 2 {
            let last = characterStart(before: end)
            let consonant = bytes[last]
            if !Self.isVowel(consonant), last > 0, Self.isVowel(bytes[last - 1]) {
                let vowel = last - 1
                if vowel == 0 { return true }
                if consonant != UInt8(ascii: "w"), consonant != UInt8(ascii: "x"),
                   consonant != UInt8(ascii: "Y"), !Self.isVowel(bytes[vowel - 1]) {
                    return true
                }
            }
        }
        guard end >= 4 else { return false }
        return bytes[end - 4] == UInt8(ascii: "p") && bytes[end - 3] == UInt8(ascii: "a")
            && bytes[end - 2] == UInt8(ascii: "s") && bytes[end - 1] == UInt8(ascii: "t")
    }
}
