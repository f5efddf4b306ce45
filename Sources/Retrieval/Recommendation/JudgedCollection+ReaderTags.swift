import PaperboyCore

extension JudgedCollection {
    /// Each judged query with at least `minimumRelevant` relevant documents as a tag whose
    /// papers are those documents, in query order.
    public func readerTags(minimumRelevant: Int = 8) -> [ReaderTag] {
        var paperOfCorpusID: [String: PaperID] = [:]
        for paper in papers {
            if let corpusID = corpusIDs[paper.id.rawValue] { paperOfCorpusID[corpusID] = paper.id }
        }
        return queries.compactMap { query in
            let papers = (relevant[query.id] ?? []).compactMap { paperOfCorpusID[$0] }.sorted()
            return papers.count >= minimumRelevant ? ReaderTag(name: "\(name) query \(query.id)", papers: papers) : nil
        }
    }
}
