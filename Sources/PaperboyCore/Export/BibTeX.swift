import Foundation

/// BibTeX entries in the form arXiv's own "Export BibTeX citation" gives, so a reference
/// pasted from Paperboy looks like one copied from arXiv:
///
///     @misc{vaswani2017attentionneed,
///           title={Attention Is All You Need},
///           author={Ashish Vaswani and Noam Shazeer},
///           year={2017},
///           eprint={1706.03762},
///           archivePrefix={arXiv},
///           primaryClass={cs.CL},
///           url={https://arxiv.org/abs/1706.03762},
///     }
public enum BibTeX {
    public static func entry(for paper: Paper) -> String {
        var fields: [(String, String)] = [("title", paper.title)]
        if !paper.authors.isEmpty {
            fields.append(("author", paper.authors.map(\.name).joined(separator: " and ")))
        }
        if let year = year(of: paper) { fields.append(("year", String(year))) }
        if paper.id.kind == .arxiv {
            fields.append(("eprint", paper.id.rawValue))
            fields.append(("archivePrefix", "arXiv"))
            if let primary = paper.primaryCategory { fields.append(("primaryClass", primary)) }
        }
        if let doi = paper.doi { fields.append(("doi", doi)) }
        if let journal = paper.journalRef { fields.append(("note", journal)) }
        if let url = paper.abstractURL ?? paper.doi.map({ "https://doi.org/\($0)" }) { fields.append(("url", url)) }

        let body = fields.map { "      \($0.0)={\($0.1)}," }.joined(separator: "\n")
        return "@misc{\(citationKey(for: paper)),\n\(body)\n}\n"
    }

    /// arXiv's key: the first author's family name, the year, and the first two significant
    /// title words, all lowercase ASCII (`vaswani2017attentionneed`).
    public static func citationKey(for paper: Paper) -> String {
        let family = paper.authors.first.map { familyName($0.name) } ?? ""
        let words = TitleKey.normalize(paper.title).split(separator: " ")
            .filter { !stopWords.contains(String($0)) && $0.allSatisfy(\.isLetter) }
            .prefix(2)
        let key = asciiLetters(family) + (year(of: paper).map(String.init) ?? "") + words.map { asciiLetters(String($0)) }.joined()
        return key.isEmpty ? paper.id.rawValue : key
    }

    /// The year of the version cited: the latest update when known, else first publication.
    private static func year(of paper: Paper) -> Int? {
        guard let date = paper.updated ?? paper.published else { return nil }
        return Calendar.utc.component(.year, from: date)
    }

    private static func familyName(_ name: String) -> String {
        TitleKey.normalize(name).split(separator: " ").last.map(String.init) ?? ""
    }

    private static func asciiLetters(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic || ($0.isASCII && $0.properties.numericType != nil) })
    }

    private static let stopWords: Set<String> = [
        "a", "an", "the", "of", "on", "in", "for", "to", "and", "or", "with", "by", "from", "at", "as", "is", "are",
        "be", "all", "you", "we", "via", "its", "it", "into", "that", "this", "what", "how", "why", "do", "does",
    ]
}
