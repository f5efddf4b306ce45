/// Result lists as text, one numbered paper per block, for the readable half of an answer.
enum PaperListText {
    static func render(_ heading: String, _ papers: [PaperSummary], startingAt first: Int = 1, empty: String) -> String {
        guard !papers.isEmpty else { return empty }
        let blocks = papers.enumerated().map { index, paper in
            var lines = ["\(first + index). \(paper.title) [\(paper.id)]"]
            var facts: [String] = []
            if !paper.authors.isEmpty {
                facts.append(paper.authors.count > 3 ? paper.authors.prefix(3).joined(separator: ", ") + " et al." : paper.authors.joined(separator: ", "))
            }
            if let published = paper.published { facts.append(published) }
            if !paper.categories.isEmpty { facts.append(paper.categories.joined(separator: " ")) }
            if !facts.isEmpty { lines.append("   " + facts.joined(separator: " · ")) }
            if let url = paper.url { lines.append("   " + url) }
            return lines.joined(separator: "\n")
        }
        return heading + "\n\n" + blocks.joined(separator: "\n\n")
    }
}
