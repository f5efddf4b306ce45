/// The Snowball English (Porter2) stemmer.
///
/// Follows Snowball 3.x's `english.sbl` (the revision whose output the official test
/// vocabulary records): besides the classic Porter2 rules it treats `inter`, `later`,
/// `emerg`, `organ`, `past` and `univers` as whole first syllables, maps `-ogist` to `-og`,
/// and derives `dying`/`lying`/`tying` from a general `Cying` → `Cie` rule instead of listing them.
///
/// The work happens in place on UTF-8 bytes: every suffix and vowel the algorithm names is
/// ASCII, so multi-byte characters only matter where it counts or steps over whole characters
/// (word length, `hop`, short syllables); elsewhere they are plain non-vowels.
public struct EnglishStemmer: Sendable {
    public init() {}

    /// The stem of a lowercase word.
    public func stem(_ word: String) -> String {
        var contiguous = word
        return contiguous.withUTF8 { input in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: input.count) { scratch in
                guard let source = input.baseAddress, let target = scratch.baseAddress else { return word }
                target.initialize(from: source, count: input.count)
                let length = Self.stemInPlace(target, count: input.count)
                let stem = UnsafeBufferPointer(start: target, count: length)
                return stem.elementsEqual(input) ? word : String(decoding: stem, as: UTF8.self)
            }
        }
    }

    /// The stem of a lowercase word given as UTF-8 bytes; the hot path used while indexing.
    ///
    /// Stems in a stack buffer (a stem is never longer than its word) and allocates only when
    /// the stem differs from the word: many words are their own stem and come back as they are.
    public func stem(utf8 word: [UInt8]) -> [UInt8] {
        word.withUnsafeBufferPointer { input in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: input.count) { scratch in
                guard let source = input.baseAddress, let target = scratch.baseAddress else { return word }
                target.initialize(from: source, count: input.count)
                let length = Self.stemInPlace(target, count: input.count)
                let stem = UnsafeBufferPointer(start: target, count: length)
                return stem.elementsEqual(input) ? word : [UInt8](stem)
            }
        }
    }

    /// Replaces a lowercase UTF-8 word with its stem, reusing the array's storage so a
    /// tokenizer can stem into one scratch buffer without allocating.
    public func stemInPlace(utf8 word: inout [UInt8]) {
        let length = word.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return Self.stemInPlace(base, count: buffer.count)
        }
        word.removeLast(word.count - length)
    }

    /// Stems the `count` bytes at `bytes` in place and returns the stem's length (≤ `count`).
    static func stemInPlace(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        if let length = replaceExceptionalForm(bytes, count: count) { return length }
        guard count >= 3, !hasFewerThanThreeCharacters(bytes, count: count) else { return count }

        var word = StemmingWord(bytes: bytes, count: count)
        word.prelude()
        word.markRegions()
        word.step1a()
        word.step1b()
        word.step1c()
        word.step2()
        word.step3()
        word.step4()
        word.step5()
        word.postlude()
        return word.count
    }

    /// Whether a word of at least three bytes still has fewer than three characters
    /// (`hop 3` counts characters); only short non-ASCII words need counting.
    private static func hasFewerThanThreeCharacters(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) -> Bool {
        guard count < 9 else { return false }  // two characters take at most eight bytes
        var characters = 0
        for index in 0..<count where !StemmingWord.isContinuationByte(bytes[index]) {
            characters += 1
        }
        return characters < 3
    }

    /// Writes the stem of a whole word the algorithm lists as an exception (`exception1`)
    /// and returns its length, or returns nil for every other word.
    private static func replaceExceptionalForm(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) -> Int? {
        guard count >= 3, count <= 6 else { return nil }
        func isWord(_ literal: StaticString) -> Bool {
            StemmingWord.bytes(bytes, count: count, equal: literal)
        }
        func write(_ stem: StaticString) -> Int {
            stem.withUTF8Buffer { source in
                for (index, byte) in source.enumerated() { bytes[index] = byte }
                return source.count
            }
        }
        switch bytes[0] {
        case UInt8(ascii: "a"):
            if isWord("andes") || isWord("atlas") { return count }
        case UInt8(ascii: "b"):
            if isWord("bias") { return count }
        case UInt8(ascii: "c"):
            if isWord("cosmos") { return count }
        case UInt8(ascii: "e"):
            if isWord("early") { return write("earli") }
        case UInt8(ascii: "g"):
            if isWord("gently") { return write("gentl") }
        case UInt8(ascii: "h"):
            if isWord("howe") { return count }
        case UInt8(ascii: "i"):
            if isWord("idly") { return write("idl") }
        case UInt8(ascii: "n"):
            if isWord("news") { return count }
        case UInt8(ascii: "o"):
            if isWord("only") { return write("onli") }
        case UInt8(ascii: "s"):
            if isWord("singly") { return write("singl") }
            if isWord("skies") { return write("sky") }
            if isWord("skis") { return write("ski") }
            if isWord("sky") { return count }
        case UInt8(ascii: "u"):
            if isWord("ugly") { return write("ugli") }
        default:
            break
        }
        return nil
    }
}
