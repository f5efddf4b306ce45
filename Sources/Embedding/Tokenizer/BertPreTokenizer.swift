/// The BERT pre-tokenizer: splits normalized text on whitespace (dropped) and around every
/// punctuation character (kept as its own word), as Hugging Face `BertPreTokenizer` does.
enum BertPreTokenizer {
    /// Calls `body` with each word's range in `scalars`, in order; stops when `body` returns false.
    static func forEachWord(in scalars: [Unicode.Scalar], _ body: (Range<Int>) -> Bool) {
        var start = 0
        var index = 0
        while index < scalars.count {
            let s = scalars[index]
            if isWhitespace(s) {
                if start < index, !body(start..<index) { return }
                start = index + 1
            } else if isPunctuation(s) {
                if start < index, !body(start..<index) { return }
                if !body(index..<index + 1) { return }
                start = index + 1
            }
            index += 1
        }
        if start < scalars.count { _ = body(start..<scalars.count) }
    }

    /// Rust's `char::is_whitespace` (the Unicode White_Space property).
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return s == " " || (s.value >= 9 && s.value <= 13) }
        return s.properties.isWhitespace
    }

    /// ASCII punctuation (33–47, 58–64, 91–96, 123–126) or any Unicode P* category.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 {
            return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v)
        }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
