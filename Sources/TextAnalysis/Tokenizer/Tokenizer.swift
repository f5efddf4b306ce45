/// Splits UTF-8 text into tokens: plain words, compounds (`gpt-4`, `l2`, `state-of-the-art`)
/// followed by their parts, and one token per CJK ideograph.
///
/// Terms are folded (lowercase, NFKC, no diacritics); ASCII runs are lowercased by arithmetic
/// on the bytes and only runs with other characters go through Unicode folding. Offsets are
/// byte offsets into the buffer given; the analyzer maps them back when TeX was cleaned first.
struct Tokenizer {
    /// Stems letter words and letter parts; nil for fields such as author names.
    let stemmer: EnglishStemmer?

    /// Longer words (hashes, sequences, garbage) get no term: nobody searches them whole.
    static let maxWordLength = 255
    /// Longer compounds are indexed by their parts only.
    static let maxCompoundLength = 64

    /// Appends the tokens of `bytes` to `tokens`. With `stopAtMarkup`, gives up and returns
    /// false at the first byte that may start TeX markup, so the caller cleans the text first;
    /// checking here costs nothing, where a separate scan would cost a pass over every byte.
    func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, into tokens: inout [Token], cache: inout TermCache,
                  stopAtMarkup: Bool) -> Bool {
        let scanner = RunScanner(bytes: bytes)
        var segments: [Segment] = []
        var position: Int32 = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                // The fast path, nearly every word of an abstract: ASCII letters ended by an
                // ASCII character that cannot continue a run.
                guard Self.isASCIILetter(byte) else {
                    if byte &- UInt8(ascii: "0") >= 10 {
                        if stopAtMarkup, TeXCleanup.isMarkupByte(byte) { return false }
                        index += 1
                        continue
                    }
                    let end = scanner.scanRun(from: index, class: .digit, length: 1, into: &segments)
                    appendRun(segments, start: index, end: end, bytes: bytes, position: &position,
                              into: &tokens, cache: &cache)
                    index = end
                    continue
                }
                var end = index + 1
                while end < count, Self.isASCIILetter(bytes[end]) { end += 1 }
                if end == count || Self.endsPlainWord(bytes[end]) {
                    if let term = plainWordTerm(in: bytes, index..<end, cache: &cache) {
                        tokens.append(Token(term: term, position: position, start: index, end: end, kind: .word))
                    }
                    position += 1
                    index = end
                    continue
                }
            }
            let (characterClass, length) = scanner.characterClass(at: index)
            switch characterClass {
            case .letter, .digit:
                let end = scanner.scanRun(from: index, class: characterClass, length: length, into: &segments)
                appendRun(segments, start: index, end: end, bytes: bytes, position: &position,
                          into: &tokens, cache: &cache)
                index = end
            case .ideograph:
                let term = Self.ideographTerm(UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                tokens.append(Token(term: term, position: position, start: index, end: index + length, kind: .word))
                position += 1
                index += length
            default:
                index += length
            }
        }
        return true
    }

    @inline(__always)
    static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    /// Whether an ASCII byte after letters ends the word for sure: not a digit, hyphen or
    /// apostrophe (which may join a compound) and not the start of a non-ASCII character.
    @inline(__always)
    static func endsPlainWord(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte &- UInt8(ascii: "0") >= 10 && byte != UInt8(ascii: "-") && byte != UInt8(ascii: "'")
    }

    /// Appends a run as one word, or as a compound followed by its parts at consecutive
    /// positions (the compound shares the first part's position), so a phrase query
    /// `"gpt 4"` finds `gpt-4`.
    private func appendRun(_ segments: [Segment], start: Int, end: Int, bytes: UnsafeBufferPointer<UInt8>,
                           position: inout Int32, into tokens: inout [Token], cache: inout TermCache) {
        if segments.count == 1 {
            if let term = term(of: segments[0], in: bytes, cache: &cache) {
                tokens.append(Token(term: term, position: position, start: start, end: end, kind: .word))
            }
            position += 1
            return
        }
        if let term = compoundTerm(of: segments, in: bytes) {
            tokens.append(Token(term: term, position: position, start: start, end: end, kind: .compound))
        }
        for (offset, segment) in segments.enumerated() {
            if let term = term(of: segment, in: bytes, cache: &cache) {
                tokens.append(Token(term: term, position: position + Int32(offset),
                                    start: segment.start, end: segment.end, kind: .part))
            }
        }
        position += Int32(segments.count)
    }

    /// The folded, and for letters stemmed, term of a word or part; nil when it is too long.
    private func term(of segment: Segment, in bytes: UnsafeBufferPointer<UInt8>,
                      cache: inout TermCache) -> String? {
        let source = UnsafeBufferPointer(rebasing: bytes[segment.start..<segment.end])
        if segment.isASCII {
            guard !segment.isDigits else {
                return source.count <= Self.maxWordLength ? String(decoding: source, as: UTF8.self) : nil
            }
            return plainWordTerm(in: bytes, segment.start..<segment.end, cache: &cache)
        }
        let folded = CharacterFolding.fold(String(decoding: source, as: UTF8.self))
        guard !folded.isEmpty, folded.utf8.count <= Self.maxWordLength else { return nil }
        // Only English-looking words are stemmed: Porter2 knows nothing of Greek or Cyrillic.
        if !segment.isDigits, let stemmer, folded.utf8.allSatisfy({ $0 &- UInt8(ascii: "a") < 26 }) {
            return stemmer.stem(folded)
        }
        return folded
    }

    /// The term of the ASCII letters at `range`: lowercased, and stemmed when stemming. Words
    /// of up to 16 letters go through the cache, keyed by their packed lowercase bytes.
    @inline(__always)
    private func plainWordTerm(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                               cache: inout TermCache) -> String? {
        let source = UnsafeBufferPointer(rebasing: bytes[range])
        func makeTerm() -> String {
            let folded = Self.asciiLowercased(source)
            // Porter2 leaves words of one or two letters as they are: skip the call.
            guard source.count > 2, let stemmer else { return folded }
            return stemmer.stem(folded)
        }
        guard source.count <= TermCache.maxWordLength, cache.isEnabled else {
            return source.count <= Self.maxWordLength ? makeTerm() : nil
        }
        let low = Self.packedLowercase(bytes, from: range.lowerBound, count: min(source.count, 8))
        let high = source.count > 8 ? Self.packedLowercase(bytes, from: range.lowerBound + 8, count: source.count - 8) : 0
        return cache.term(low: low, high: high, stemming: stemmer != nil, makeTerm: makeTerm)
    }

    /// `count` (1…8) ASCII letters at `start`, lowercased and packed little-endian, zero-padded.
    /// One unaligned load reads them, and perhaps bytes after them that the mask drops.
    @inline(__always)
    static func packedLowercase(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> UInt64 {
        var word: UInt64 = 0
        if start + 8 <= bytes.count, let base = bytes.baseAddress {
            word = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
        } else {
            for offset in 0..<count { word |= UInt64(bytes[start + offset]) << UInt64(offset * 8) }
        }
        let mask: UInt64 = count >= 8 ? ~0 : (1 << UInt64(count * 8)) - 1
        return (word | 0x2020_2020_2020_2020) & mask
    }

    /// The whole run folded but not stemmed, hyphens kept and apostrophes dropped
    /// (`GPT-4` → `gpt-4`, `O'Brien` → `obrien`); nil when longer than `maxCompoundLength`.
    private func compoundTerm(of segments: [Segment], in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if segments.allSatisfy(\.isASCII) {
            var length = 0
            for segment in segments { length += segment.end - segment.start + (segment.followsHyphen ? 1 : 0) }
            guard length <= Self.maxCompoundLength else { return nil }
            return String(unsafeUninitializedCapacity: length) { output in
                var written = 0
                for segment in segments {
                    if segment.followsHyphen {
                        output[written] = UInt8(ascii: "-")
                        written += 1
                    }
                    for index in segment.start..<segment.end {
                        output[written] = Self.asciiLowercased(bytes[index])
                        written += 1
                    }
                }
                return written
            }
        }
        var term = ""
        for segment in segments {
            if segment.followsHyphen { term += "-" }
            let source = UnsafeBufferPointer(rebasing: bytes[segment.start..<segment.end])
            term += CharacterFolding.fold(String(decoding: source, as: UTF8.self))
        }
        return term.utf8.count <= Self.maxCompoundLength ? term : nil
    }

    /// A CJK ideograph as its own term; compatibility ideographs map to their unified form.
    static func ideographTerm(_ source: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: source, as: UTF8.self)
        guard let value = text.unicodeScalars.first?.value else { return text }
        let isCompatibilityForm = (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
        return isCompatibilityForm ? CharacterFolding.fold(text) : text
    }

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// ASCII bytes lowercased into a string; strings of up to 15 bytes need no allocation.
    @inline(__always)
    static func asciiLowercased(_ source: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: source.count) { output in
            for index in 0..<source.count { output[index] = asciiLowercased(source[index]) }
            return source.count
        }
    }
}
