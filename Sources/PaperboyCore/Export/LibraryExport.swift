import Foundation

/// A reader's library (or one tag of it) written out for another tool, or for another
/// Paperboy: `LibraryFile.read` reads both formats back to the same papers and tags.
public enum LibraryExport {
    /// One BibTeX entry per paper in arXiv's own form (`BibTeX.entry`), its tags in a
    /// `keywords` field; citation keys made unique in the file with a, b, … as BibTeX
    /// styles do. `papers` in the order to write, each with its tags.
    public static func bibTeX(_ papers: [(paper: Paper, tags: [String])]) -> String {
        var used: [String: Int] = [:]
        return papers.map { paper, tags in
            var entry = BibTeX.entry(for: paper)
            let key = BibTeX.citationKey(for: paper)
            let seen = used[key, default: 0]
            used[key] = seen + 1
            if seen > 0, let open = entry.firstIndex(of: "{"), let comma = entry.firstIndex(of: ",") {
                entry.replaceSubrange(entry.index(after: open)..<comma, with: key + suffix(seen))
            }
            if !tags.isEmpty, let end = entry.range(of: "\n}", options: .backwards) {
                entry.insert(contentsOf: "\n      keywords={\(tags.joined(separator: ", "))},", at: end.lowerBound)
            }
            return entry
        }.joined(separator: "\n")
    }

    /// Ids one a line under a `# tag` line per tag, tags in the order given; a paper under
    /// two tags is listed under both.
    public static func idList(_ tags: [(tag: String, papers: [PaperID])]) -> String {
        tags.map { tag, papers in
            "# \(tag)\n" + papers.map { $0.rawValue + "\n" }.joined()
        }.joined(separator: "\n")
    }

    /// `a`, `b`, … `z`, `aa`, … for the second, third … use of a citation key.
    static func suffix(_ n: Int) -> String {
        var n = n - 1, text = ""
        repeat {
            text = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(n % 26))) + text
            n = n / 26 - 1
        } while n >= 0
        return text
    }
}
