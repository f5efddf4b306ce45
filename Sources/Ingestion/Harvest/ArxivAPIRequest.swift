/// What one `ArxivAPIHarvester` run asks arXiv's API for.
public enum ArxivAPIRequest: Sendable, Hashable {
    /// Papers by arXiv id (`2104.12255`, `2104.12255v1`, `astro-ph/0601001`), sent as `id_list`.
    /// An id arXiv does not know is left out of its answer, not an error; a malformed one is.
    case ids([String])
    /// A `search_query` in arXiv's syntax (`cat:cs.LG AND ti:transformer`).
    case query(String)

    /// The request's name in the harvest cursor: stable across runs, so a rerun finds the run
    /// it continues, and readable, so `paperboy` can show it. A long id list is named by its
    /// ends, its size and a digest of the whole list, so two lists never share a cursor.
    var cursorSet: String {
        switch self {
        case .query(let text):
            return "query:" + text
        case .ids(let ids):
            let joined = ids.joined(separator: ",")
            guard joined.count > 80, let first = ids.first, let last = ids.last else { return "ids:" + joined }
            return "ids:\(first)…\(last) (\(ids.count) ids, \(Self.digest(joined)))"
        }
    }

    /// FNV-1a of `text`, in hex: a digest that, unlike `Hasher`, is the same in every process.
    static func digest(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
