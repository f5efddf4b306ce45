import Foundation

/// The terms of one field of a segment in byte order, so a term is found by binary search
/// and a prefix (`transform*`) is a contiguous range; the ordinal of a term indexes its
/// postings.
struct TermDictionary: Sendable {
    let terms: StringColumn

    var count: Int { terms.count }

    /// The ordinal of `term`, if the field has it.
    func ordinal(of term: String) -> Int? {
        var term = term
        return term.withUTF8 { key in
            let index = lowerBound(key)
            return index < count && compare(index, key) == 0 ? index : nil
        }
    }

    /// Ordinals of the terms that start with `prefix`, in byte order.
    func ordinals(withPrefix prefix: String) -> Range<Int> {
        var prefix = prefix
        return prefix.withUTF8 { key in
            let start = lowerBound(key)
            var end = start
            while end < count, hasPrefix(end, key) { end += 1 }
            return start..<end
        }
    }

    subscript(ordinal: Int) -> String { terms[ordinal] }

    /// The first ordinal whose term is not less than `key`.
    private func lowerBound(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if compare(middle, key) < 0 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    @inline(__always)
    private func compare(_ ordinal: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int {
        let term = terms.utf8(ordinal)
        let shared = min(term.count, key.count)
        if shared > 0, let a = term.baseAddress, let b = key.baseAddress {
            let order = memcmp(a, b, shared)
            if order != 0 { return Int(order) }
        }
        return term.count - key.count
    }

    private func hasPrefix(_ ordinal: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let term = terms.utf8(ordinal)
        guard term.count >= key.count else { return false }
        guard key.count > 0, let a = term.baseAddress, let b = key.baseAddress else { return true }
        return memcmp(a, b, key.count) == 0
    }
}
