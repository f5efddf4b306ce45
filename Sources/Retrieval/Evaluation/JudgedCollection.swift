import Foundation
import PaperboyCore

/// A judged retrieval collection in BEIR's layout (`corpus.jsonl` or `corpus.jsonl.gz`,
/// `queries.jsonl`, `qrels/test.tsv`), its documents turned into papers so they are indexed
/// and embedded exactly as Paperboy's own papers are.
public struct JudgedCollection: Sendable {
    public var name: String
    public var papers: [Paper]
    /// Judged queries only, in file order.
    public var queries: [(id: String, text: String)]
    /// Corpus ids judged relevant (score > 0) per query id.
    public var relevant: [String: Set<String>]
    /// Corpus id of each paper id.
    public var corpusIDs: [String: String]

    /// Reads the collection in `directory`; a malformed line is an error naming file and line.
    public static func load(directory: URL) throws -> JudgedCollection {
        let corpusFile = ["corpus.jsonl", "corpus.jsonl.gz"].map { directory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) } ?? directory.appendingPathComponent("corpus.jsonl")
        var papers: [Paper] = []
        var corpusIDs: [String: String] = [:]
        for (number, object) in try objects(in: corpusFile) {
            let id = try field("_id", of: object, corpusFile, number)
            let metadata = object["metadata"] as? [String: Any] ?? [:]
            let authors = (metadata["authors"] as? [String]) ?? [metadata["author"] as? String].compactMap { $0 }
            // A title key of the corpus id: unique per document, stable across runs.
            guard let paperID = PaperID(title: "\(directory.lastPathComponent) document \(id)") else { continue }
            papers.append(Paper(id: paperID, title: object["title"] as? String ?? "", abstract: object["text"] as? String ?? "",
                                authors: authors.map { Author(name: $0) }, sources: []))
            corpusIDs[paperID.rawValue] = id
        }
        var relevant: [String: Set<String>] = [:]
        let qrels = directory.appendingPathComponent("qrels/test.tsv")
        for line in try lines(of: qrels).dropFirst() {
            let columns = line.split(separator: "\t")
            if columns.count >= 3, Int(columns[2]) ?? 0 > 0 { relevant[String(columns[0]), default: []].insert(String(columns[1])) }
        }
        let queriesFile = directory.appendingPathComponent("queries.jsonl")
        let queries = try objects(in: queriesFile).compactMap { number, object -> (id: String, text: String)? in
            let id = try field("_id", of: object, queriesFile, number)
            return relevant[id] == nil ? nil : (id, try field("text", of: object, queriesFile, number))
        }
        return JudgedCollection(name: directory.lastPathComponent, papers: papers, queries: queries,
                                relevant: relevant, corpusIDs: corpusIDs)
    }

    /// Mean nDCG@10 (binary gains) and recall@100 of `rank`, which returns paper ids best
    /// first for a query's text.
    public func evaluate(_ rank: (String) throws -> [String]) rethrows -> RetrievalQuality {
        var ndcg = 0.0, recall = 0.0
        for query in queries {
            let judged = relevant[query.id] ?? []
            let ranked = try rank(query.text).prefix(100).map { corpusIDs[$0] ?? $0 }
            var dcg = 0.0, ideal = 0.0
            for (place, id) in ranked.prefix(10).enumerated() where judged.contains(id) { dcg += 1 / log2(Double(place) + 2) }
            for place in 0..<min(10, judged.count) { ideal += 1 / log2(Double(place) + 2) }
            ndcg += dcg / ideal
            recall += Double(Set(ranked).intersection(judged).count) / Double(judged.count)
        }
        let count = Double(max(1, queries.count))
        return RetrievalQuality(ndcgAt10: ndcg / count, recallAt100: recall / count, queries: queries.count)
    }

    private static func lines(of file: URL) throws -> [Substring] {
        let data: Data
        do {
            data = file.pathExtension == "gz" ? try gunzip(file) : try Data(contentsOf: file)
        } catch {
            throw PaperboyError(.unreadableFile, "cannot read \(file.path)", cause: error)
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
    }

    /// The decompressed bytes of a `.gz` file, through the system's `gzip` (only the judged
    /// collections are compressed; papers never are).
    private static func gunzip(_ file: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PaperboyError(.unreadableFile, "gzip could not decompress \(file.path)") }
        return data
    }

    private static func objects(in file: URL) throws -> [(Int, [String: Any])] {
        try lines(of: file).enumerated().map { index, line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw PaperboyError(.invalidInput, "\(file.path), line \(index + 1): not a JSON object")
            }
            return (index + 1, object)
        }
    }

    private static func field(_ name: String, of object: [String: Any], _ file: URL, _ line: Int) throws -> String {
        if let text = object[name] as? String { return text }
        if let number = object[name] as? Int { return String(number) }
        throw PaperboyError(.invalidInput, "\(file.path), line \(line): no \(name) field")
    }
}

/// How well a ranking did on a judged collection.
public struct RetrievalQuality: Sendable, Codable {
    public var ndcgAt10: Double
    public var recallAt100: Double
    public var queries: Int
}
