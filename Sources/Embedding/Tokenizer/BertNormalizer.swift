import Foundation

/// The BERT normalizer of Hugging Face `tokenizers`: drops control characters, turns
/// whitespace into spaces, pads CJK ideographs with spaces, strips accents (NFD, then drop
/// nonspacing marks) and lowercases, each step switched by `tokenizer.json`.
struct BertNormalizer: Sendable {
    var cleanText: Bool
    var handleChineseChars: Bool
    var stripAccents: Bool
    var lowercase: Bool

    /// The normalized text as scalars. ASCII scalars take a table-free fast path; the rest
    /// go through the Unicode steps in the same order as the Rust implementation.
    func normalize(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.utf8.count)
        var pending = String()  // non-ASCII run awaiting NFD as a whole, so marks reorder as in Rust
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                if !pending.isEmpty { flush(&pending, into: &out) }
                let v = scalar.value
                if cleanText {
                    if v == 9 || v == 10 || v == 13 { out.append(" "); continue }
                    if v < 32 || v == 127 { continue }
                }
                if lowercase, v >= 65, v <= 90 {
                    out.append(Unicode.Scalar(UInt8(v + 32)))
                } else {
                    out.append(scalar)
                }
                continue
            }
            var s = scalar
            if cleanText {
                if s.value == 0xFFFD || Self.isOther(s) { continue }
                if s.properties.isWhitespace { s = " " }
            }
            if handleChineseChars, Self.isChinese(s) {
                pending.unicodeScalars.append(" ")
                pending.unicodeScalars.append(s)
                pending.unicodeScalars.append(" ")
            } else {
                pending.unicodeScalars.append(s)
            }
        }
        if !pending.isEmpty { flush(&pending, into: &out) }
        return out
    }

    /// Applies accent stripping and lowercasing to a run of non-ASCII-containing text.
    private func flush(_ pending: inout String, into out: inout [Unicode.Scalar]) {
        let text = stripAccents ? pending.decomposedStringWithCanonicalMapping : pending
        for scalar in text.unicodeScalars {
            if stripAccents, scalar.properties.generalCategory == .nonspacingMark { continue }
            if lowercase {
                let mapped = scalar.properties.lowercaseMapping
                if mapped.unicodeScalars.count == 1, mapped.unicodeScalars.first == scalar {
                    out.append(scalar)
                } else {
                    out.append(contentsOf: mapped.unicodeScalars)
                }
            } else {
                out.append(scalar)
            }
        }
        pending = String()
    }

    /// Rust's `char::is_other`: categories Cc, Cf, Cs, Co, Cn. Tab, newline and carriage
    /// return count as whitespace instead.
    static func isOther(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// The CJK Unified Ideograph blocks that BERT treats as one-character words.
    static func isChinese(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
