import PaperboyCore
import VectorMath

/// What the recommender knows of each candidate paper: its unit embedding (meaning) and an
/// l2-normalised tf-idf vector of its title and abstract (wording), side by side. Built once
/// per candidate set and shared by every tag that trains on it, so a tag's training pays
/// only for its own solver.
public struct PaperFeatures: Sendable {
    /// The candidates, in row order.
    public let ids: [PaperID]
    /// The embedding's width (384 for all-MiniLM-L6-v2).
    public let dimension: Int
    /// Row-major, `ids.count × dimension`.
    let embeddings: [Float]
    let keywords: KeywordVectors
    private let rowOfID: [PaperID: Int]

    /// arxiv-sanity keeps the 20,000 most frequent terms; so do we.
    public static let defaultVocabularyLimit = 20_000

    /// The features of `papers`, each with its unit embedding (`vectors`, same order, all of
    /// one width). Ids must be distinct: a candidate appears once.
    public init(papers: [Paper], vectors: [[Float]], vocabularyLimit: Int = defaultVocabularyLimit) {
        precondition(papers.count == vectors.count, "\(papers.count) papers but \(vectors.count) vectors")
        let dimension = vectors.first?.count ?? 0
        precondition(vectors.allSatisfy { $0.count == dimension }, "vectors of different widths")
        self.dimension = dimension
        ids = papers.map(\.id)
        var rowOfID: [PaperID: Int] = [:]
        for (row, id) in ids.enumerated() {
            if rowOfID.updateValue(row, forKey: id) != nil { preconditionFailure("paper \(id) is a candidate twice") }
        }
        self.rowOfID = rowOfID
        embeddings = vectors.flatMap { $0 }
        keywords = KeywordVectors(texts: papers.map(Self.keywordText), vocabularyLimit: vocabularyLimit)
    }

    private init(ids: [PaperID], dimension: Int, embeddings: [Float], keywords: KeywordVectors, rowOfID: [PaperID: Int]) {
        self.ids = ids
        self.dimension = dimension
        self.embeddings = embeddings
        self.keywords = keywords
        self.rowOfID = rowOfID
    }

    /// The words a paper's keyword vector is made of.
    private static func keywordText(_ paper: Paper) -> String { paper.title + "\n" + paper.abstract }

    /// These candidates and, after them, those of `papers` that are not candidates yet (with
    /// their unit `vectors`, same order and width), weighed by this set's keyword vocabulary:
    /// a reader's saved papers from outside a shared candidate set join it for their own
    /// training at the cost of their own analysis, and every existing row stays as it is.
    public func adding(papers: [Paper], vectors: [[Float]]) -> PaperFeatures {
        precondition(papers.count == vectors.count, "\(papers.count) papers but \(vectors.count) vectors")
        var rows = rowOfID
        let added = zip(papers, vectors).filter { paper, _ in
            guard rows[paper.id] == nil else { return false }
            rows[paper.id] = rows.count   // the next row: one per id so far
            return true
        }
        guard !added.isEmpty else { return self }
        precondition(added.allSatisfy { $0.1.count == dimension }, "vectors of width other than \(dimension)")
        return PaperFeatures(ids: ids + added.map(\.0.id), dimension: dimension,
                             embeddings: embeddings + added.flatMap(\.1),
                             keywords: keywords.appending(texts: added.map { Self.keywordText($0.0) }),
                             rowOfID: rows)
    }

    public var count: Int { ids.count }

    /// How many terms the keyword vocabulary kept.
    public var vocabularySize: Int { keywords.columnCount }

    /// The row of a candidate, nil when it is not one.
    public func row(of id: PaperID) -> Int? { rowOfID[id] }

    /// Cosine of two candidates' embeddings (their dot product: the vectors are unit).
    public func similarity(_ a: Int, _ b: Int) -> Float {
        embeddings.withUnsafeBufferPointer { rows in
            guard let base = rows.baseAddress else { return 0 }
            return VectorMath.dot(base + a * dimension, base + b * dimension, count: dimension)
        }
    }

    /// `scores[r] = query · embedding r` for every candidate.
    func embeddingScores(_ query: UnsafePointer<Float>) -> [Float] {
        var scores = [Float](repeating: 0, count: count)
        embeddings.withUnsafeBufferPointer { rows in
            scores.withUnsafeMutableBufferPointer { scores in
                guard let rows = rows.baseAddress, let out = scores.baseAddress else { return }
                VectorMath.dotRows(query: query, rows: rows, dimension: dimension, rowCount: count, scores: out)
            }
        }
        return scores
    }
}
