/// Steps 1a to 5 of the English algorithm.
///
/// Each step looks for the longest of its suffixes the word ends with and applies that
/// suffix's rule only: when the rule's condition fails, no shorter suffix is tried (Snowball's
/// `among`). So each step switches on the last byte and tests that byte's suffixes longest first.
extension StemmingWord {
    /// Possessives and plurals: `'s'`, `'s`, `'`; `sses` → `ss`; `ied`/`ies` → `i` or `ie`;
    /// `s` dropped when a vowel comes before the letter preceding it.
    mutating func step1a() {
        if endsWith("'s'") {
            count -= 3
        } else if endsWith("'s") {
            count -= 2
        } else if endsWith("'") {
            count -= 1
        }
        guard count > 0 else { return }
        switch bytes[count - 1] {
        case UInt8(ascii: "d"):
            if endsWith("ied") { shortenIesOrIed() }
        case UInt8(ascii: "s"):
            if endsWith("sses") {
                count -= 2
            } else if endsWith("ies") {
                shortenIesOrIed()
            } else if endsWith("ss") || endsWith("us") {
                return
            } else {
                let suffix = count - 1
                guard suffix > 0 else { return }
                if containsVowel(before: characterStart(before: suffix)) { count = suffix }
            }
        default:
            return
        }
    }

    /// `ies`/`ied` become `i` after two or more characters (`cries` → `cri`), else `ie` (`ties` → `tie`).
    private mutating func shortenIesOrIed() {
        let suffix = count - 3
        let hasTwoCharactersBefore = suffix > 0 && characterStart(before: suffix) > 0
        count = hasTwoCharactersBefore ? suffix + 1 : suffix + 2
    }

    /// `eed`/`eedly` → `ee` in R1; `ed`, `edly`, `ing`, `ingly` dropped after a vowel, then the
    /// stem tidied (`hop-p-ing` → `hop`, `hop-ing` → `hope`, `lux-ur-i-at-ing` → `luxuriate`).
    mutating func step1b() {
        guard count > 0 else { return }
        switch bytes[count - 1] {
        case UInt8(ascii: "y"):
            if endsWith("eedly") {
                replaceEedInR1(suffixLength: 5)
            } else if endsWith("ingly") {
                dropVerbSuffix(length: 5)
            } else if endsWith("edly") {
                dropVerbSuffix(length: 4)
            }
        case UInt8(ascii: "d"):
            if endsWith("eed") {
                replaceEedInR1(suffixLength: 3)
            } else if endsWith("ed") {
                dropVerbSuffix(length: 2)
            }
        case UInt8(ascii: "g"):
            if endsWith("ing") { dropIng() }
        default:
            return
        }
    }

    /// `eed`/`eedly` → `ee` when in R1, except in `proceed`, `exceed` and `succeed`.
    private mutating func replaceEedInR1(suffixLength: Int) {
        let suffix = count - suffixLength
        guard suffix >= r1 else { return }
        if prefix(upTo: suffix, equals: "proc") || prefix(upTo: suffix, equals: "exc")
            || prefix(upTo: suffix, equals: "succ") {
            return
        }
        count = suffix + 2
    }

    /// `ing`, except that `Cying` becomes `Cie` (`dying` → `die`) and `inning`, `outing`,
    /// `canning`, `herring`, `earring` and `evening` stay whole.
    private mutating func dropIng() {
        let suffix = count - 3
        if suffix >= 2, bytes[suffix - 1] == UInt8(ascii: "y") {
            let consonant = characterStart(before: suffix - 1)
            if consonant == 0, !Self.isVowel(bytes[0]) {
                bytes[suffix - 1] = UInt8(ascii: "i")
                bytes[suffix] = UInt8(ascii: "e")
                count = suffix + 1
                return
            }
        }
        if prefix(upTo: suffix, equals: "inn") || prefix(upTo: suffix, equals: "out")
            || prefix(upTo: suffix, equals: "cann") || prefix(upTo: suffix, equals: "herr")
            || prefix(upTo: suffix, equals: "earr") || prefix(upTo: suffix, equals: "even") {
            return
        }
        dropVerbSuffix(length: 3)
    }

    /// Drops a verb suffix that follows a vowel, then adds `e` after `at`, `bl`, `iz` or a short
    /// word, or undoes a doubled final consonant (but keeps `add`, `egg`, `odd`-like words).
    private mutating func dropVerbSuffix(length: Int) {
        let suffix = count - length
        guard containsVowel(before: suffix) else { return }
        count = suffix
        guard count >= 2 else {
            if count == r1, endsInShortSyllable(at: count) { appendE() }
            return
        }
        let last = bytes[count - 1]
        let penultimate = bytes[count - 2]
        switch (penultimate, last) {
        case (UInt8(ascii: "a"), UInt8(ascii: "t")), (UInt8(ascii: "b"), UInt8(ascii: "l")),
             (UInt8(ascii: "i"), UInt8(ascii: "z")):
            appendE()
        case _ where last == penultimate && isUndoubledConsonant(last):
            let isWholeShortWord = count == 3
                && (bytes[0] == UInt8(ascii: "a") || bytes[0] == UInt8(ascii: "e") || bytes[0] == UInt8(ascii: "o"))
            if !isWholeShortWord { count -= 1 }
        default:
            if count == r1, endsInShortSyllable(at: count) { appendE() }
        }
    }

    /// Whether a doubled `byte` is undone after `ed`/`ing` (`bb dd ff gg mm nn pp rr tt`).
    private func isUndoubledConsonant(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "b"), UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "g"), UInt8(ascii: "m"),
             UInt8(ascii: "n"), UInt8(ascii: "p"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        default:
            return false
        }
    }

    /// Adds the `e` of `hope`, `luxuriate`; room exists since a longer suffix was just dropped.
    private mutating func appendE() {
        bytes[count] = UInt8(ascii: "e")
        count += 1
    }

    /// A final `y`/`Y` after a non-vowel that is not the first character becomes `i` (`cry` → `cri`).
    mutating func step1c() {
        guard count >= 2 else { return }
        let last = count - 1
        guard bytes[last] == UInt8(ascii: "y") || bytes[last] == UInt8(ascii: "Y") else { return }
        let consonant = characterStart(before: last)
        guard consonant > 0, !Self.isVowel(bytes[consonant]) else { return }
        bytes[last] = UInt8(ascii: "i")
    }

    /// Derivational suffixes in R1 mapped to their base (`-ational` → `-ate`, `-fulness` → `-ful`).
    mutating func step2() {
        guard count > 0 else { return }
        switch bytes[count - 1] {
        case UInt8(ascii: "i"):
            if endsWith("biliti") { replaceInR1(suffixLength: 6, with: "ble") }
            else if endsWith("lessli") { replaceInR1(suffixLength: 6, with: "less") }
            else if endsWith("aliti") { replaceInR1(suffixLength: 5, with: "al") }
            else if endsWith("iviti") { replaceInR1(suffixLength: 5, with: "ive") }
            else if endsWith("fulli") { replaceInR1(suffixLength: 5, with: "ful") }
            else if endsWith("ousli") { replaceInR1(suffixLength: 5, with: "ous") }
            else if endsWith("entli") { replaceInR1(suffixLength: 5, with: "ent") }
            else if endsWith("anci") { replaceInR1(suffixLength: 4, with: "ance") }
            else if endsWith("enci") { replaceInR1(suffixLength: 4, with: "ence") }
            else if endsWith("abli") { replaceInR1(suffixLength: 4, with: "able") }
            else if endsWith("alli") { replaceInR1(suffixLength: 4, with: "al") }
            else if endsWith("bli") { replaceInR1(suffixLength: 3, with: "ble") }
            else if endsWith("ogi") {
                let suffix = count - 3
                if suffix >= r1, suffix > 0, bytes[suffix - 1] == UInt8(ascii: "l") { replace(from: suffix, with: "og") }
            } else if endsWith("li") {
                let suffix = count - 2
                if suffix >= r1, suffix > 0, isValidLiEnding(bytes[suffix - 1]) { count = suffix }
            }
        case UInt8(ascii: "l"):
            if endsWith("ational") { replaceInR1(suffixLength: 7, with: "ate") }
            else if endsWith("tional") { replaceInR1(suffixLength: 6, with: "tion") }
        case UInt8(ascii: "m"):
            if endsWith("alism") { replaceInR1(suffixLength: 5, with: "al") }
        case UInt8(ascii: "n"):
            if endsWith("ization") { replaceInR1(suffixLength: 7, with: "ize") }
            else if endsWith("ation") { replaceInR1(suffixLength: 5, with: "ate") }
        case UInt8(ascii: "r"):
            if endsWith("izer") { replaceInR1(suffixLength: 4, with: "ize") }
            else if endsWith("ator") { replaceInR1(suffixLength: 4, with: "ate") }
        case UInt8(ascii: "s"):
            if endsWith("iveness") { replaceInR1(suffixLength: 7, with: "ive") }
            else if endsWith("fulness") { replaceInR1(suffixLength: 7, with: "ful") }
            else if endsWith("ousness") { replaceInR1(suffixLength: 7, with: "ous") }
        case UInt8(ascii: "t"):
            if endsWith("ogist") { replaceInR1(suffixLength: 5, with: "og") }
        default:
            return
        }
    }

    /// Letters after which a final `li` is an adverb ending (`c d e g h k m n r t`).
    private func isValidLiEnding(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "g"), UInt8(ascii: "h"),
             UInt8(ascii: "k"), UInt8(ascii: "m"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        default:
            return false
        }
    }

    /// More derivational suffixes in R1 (`-alize` → `-al`, `-ness` dropped, `-ative` dropped in R2).
    mutating func step3() {
        guard count > 0 else { return }
        switch bytes[count - 1] {
        case UInt8(ascii: "l"):
            if endsWith("ational") { replaceInR1(suffixLength: 7, with: "ate") }
            else if endsWith("tional") { replaceInR1(suffixLength: 6, with: "tion") }
            else if endsWith("ical") { replaceInR1(suffixLength: 4, with: "ic") }
            else if endsWith("ful") { replaceInR1(suffixLength: 3, with: "") }
        case UInt8(ascii: "e"):
            if endsWith("icate") { replaceInR1(suffixLength: 5, with: "ic") }
            else if endsWith("alize") { replaceInR1(suffixLength: 5, with: "al") }
            else if endsWith("ative") { dropInR2(suffixLength: 5) }
        case UInt8(ascii: "i"):
            if endsWith("iciti") { replaceInR1(suffixLength: 5, with: "ic") }
        case UInt8(ascii: "s"):
            if endsWith("ness") { replaceInR1(suffixLength: 4, with: "") }
        default:
            return
        }
    }

    /// Suffixes dropped when in R2 (`-ance`, `-ement`, `-ism`, …; `-ion` only after `s` or `t`).
    mutating func step4() {
        guard count > 0 else { return }
        switch bytes[count - 1] {
        case UInt8(ascii: "c"):
            if endsWith("ic") { dropInR2(suffixLength: 2) }
        case UInt8(ascii: "e"):
            if endsWith("ance") || endsWith("ence") || endsWith("able") || endsWith("ible") {
                dropInR2(suffixLength: 4)
            } else if endsWith("ate") || endsWith("ive") || endsWith("ize") {
                dropInR2(suffixLength: 3)
            }
        case UInt8(ascii: "i"):
            if endsWith("iti") { dropInR2(suffixLength: 3) }
        case UInt8(ascii: "l"):
            if endsWith("al") { dropInR2(suffixLength: 2) }
        case UInt8(ascii: "m"):
            if endsWith("ism") { dropInR2(suffixLength: 3) }
        case UInt8(ascii: "n"):
            if endsWith("ion") {
                let suffix = count - 3
                guard suffix >= r2, suffix > 0 else { return }
                let before = bytes[suffix - 1]
                if before == UInt8(ascii: "s") || before == UInt8(ascii: "t") { count = suffix }
            }
        case UInt8(ascii: "r"):
            if endsWith("er") { dropInR2(suffixLength: 2) }
        case UInt8(ascii: "s"):
            if endsWith("ous") { dropInR2(suffixLength: 3) }
        case UInt8(ascii: "t"):
            if endsWith("ement") { dropInR2(suffixLength: 5) }
            else if endsWith("ment") { dropInR2(suffixLength: 4) }
            else if endsWith("ant") || endsWith("ent") { dropInR2(suffixLength: 3) }
        default:
            return
        }
    }

    /// A final `e` dropped in R2, or in R1 unless after a short syllable; a final `ll` → `l` in R2.
    mutating func step5() {
        guard count > 0 else { return }
        let last = count - 1
        switch bytes[last] {
        case UInt8(ascii: "e"):
            if last >= r2 || (last >= r1 && !endsInShortSyllable(at: last)) { count = last }
        case UInt8(ascii: "l"):
            if last >= r2, last > 0, bytes[last - 1] == UInt8(ascii: "l") { count = last }
        default:
            return
        }
    }

    /// Replaces the final `suffixLength` bytes with `replacement` when they lie in R1.
    @inline(__always)
    private mutating func replaceInR1(suffixLength: Int, with replacement: StaticString) {
        let suffix = count - suffixLength
        if suffix >= r1 { replace(from: suffix, with: replacement) }
    }

    /// Drops the final `suffixLength` bytes when they lie in R2.
    @inline(__always)
    private mutating func dropInR2(suffixLength: Int) {
        let suffix = count - suffixLength
        if suffix >= r2 { count = suffix }
    }
}
