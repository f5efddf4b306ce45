/// The shape of an arXiv identifier, apart from whether any paper has it: arXiv answers
/// an id of the right shape that names no paper (`0000.0000`) with an empty result, and
/// only a malformed one (`abc`) with an error.
enum ArxivIDShape {
    /// `2104.12255`, `0704.0001v2`, `astro-ph/0601001`, `math.GT/0309136v1`, with an
    /// optional `arXiv:` prefix.
    static func isWellFormed(_ text: String) -> Bool {
        var id = Substring(text)
        if id.lowercased().hasPrefix("arxiv:") { id = id.dropFirst(6) }
        if let v = id.lastIndex(of: "v"), v != id.startIndex, id[id.index(after: v)...].allSatisfy(\.isASCIIDigit),
           id.index(after: v) != id.endIndex {
            id = id[..<v]
        }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            let halves = id.split(separator: ".", omittingEmptySubsequences: false)
            return halves.count == 2 && halves[0].count == 4 && (4...5).contains(halves[1].count)
                && halves.allSatisfy { $0.allSatisfy(\.isASCIIDigit) }
        case 2:
            let archive = parts[0].split(separator: ".", omittingEmptySubsequences: false)
            return parts[1].count == 7 && parts[1].allSatisfy(\.isASCIIDigit)
                && (1...2).contains(archive.count) && archive.allSatisfy { !$0.isEmpty }
                && archive[0].allSatisfy { ($0.isLetter && $0.isASCII) || $0 == "-" }
                && archive.dropFirst().allSatisfy { $0.allSatisfy { $0.isASCII && $0.isLetter } }
        default:
            return false
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
