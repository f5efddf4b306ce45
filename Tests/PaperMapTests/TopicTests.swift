import Foundation
import PaperboyCore
import Testing
@testable import PaperMap

/// Topics: c-TF-IDF names planted subjects by their own words, k-means regions follow the
/// map, and assembly orders topics largest first.
@Suite struct TopicTests {
    /// Abstracts from three planted subjects, all sharing the field's generic words.
    static func documents() -> [(cluster: Int, text: String)] {
        let subjects = [
            ["quantum", "qubits", "entanglement", "decoherence", "superconducting"],
            ["protein", "folding", "residues", "enzymes", "binding"],
            ["galaxies", "redshift", "telescope", "stellar", "supernovae"],
        ]
        let generic = ["we", "propose", "a", "novel", "method", "results", "show", "model", "approach", "data", "performance"]
        var random = SeededGenerator(seed: 8)
        var documents: [(Int, String)] = []
        for (cluster, words) in subjects.enumerated() {
            for _ in 0..<40 {
                var text: [String] = []
                for _ in 0..<30 { text.append(generic[random.below(generic.count)]) }
                for _ in 0..<6 { text.append(words[random.below(words.count)]) }
                // One phrase per subject that only makes sense as a pair.
                if cluster == 0 { text.append("error correction") }
                documents.append((cluster, text.shuffled(using: &random).joined(separator: " ") + "."))
            }
        }
        return documents
    }

    @Test func classBasedTFIDFNamesPlantedTopicsByTheirOwnWords() {
        var terms = TopicTerms(clusters: 3)
        for document in Self.documents() { terms.add(document.text, cluster: document.cluster) }
        let named = terms.terms(count: 6)
        let planted: [Set<String>] = [
            ["quantum", "qubits", "entanglement", "decoherence", "superconducting", "error correction"],
            ["protein", "folding", "residues", "enzymes", "binding"],
            ["galaxies", "redshift", "telescope", "stellar", "supernovae"],
        ]
        for cluster in 0..<3 {
            #expect(named[cluster].count == 6)
            // The top three are the subject's own words, shown as written (not stems).
            #expect(named[cluster].prefix(3).allSatisfy(planted[cluster].contains), "cluster \(cluster): \(named[cluster])")
            #expect(!named[cluster].contains("model") && !named[cluster].contains("method"), "\(named[cluster])")
        }
        #expect(named[0].contains("error correction"), "a frequent pair is a term: \(named[0])")
        #expect(!named[0].contains("correction"), "a word gives way to the pair holding it: \(named[0])")
    }

    @Test func topicCountGrowsWithThePapersWithinBounds() {
        #expect(MapClustering.topicCount(papers: 5) == 5)
        #expect(MapClustering.topicCount(papers: 335) == 8)
        #expect(MapClustering.topicCount(papers: 100_000) == 60)
        #expect(MapClustering.topicCount(papers: 20_000) == 32)
        #expect(MapClustering.topicCount(papers: 1_000_000) == 60)
    }

    @Test func kMeansFindsSeparatedGroupsOfPoints() throws {
        var random = SeededGenerator(seed: 2)
        let centres = [MapPoint(x: 0.2, y: 0.2), MapPoint(x: 0.8, y: 0.25), MapPoint(x: 0.5, y: 0.8)]
        var points: [MapPoint] = []
        var truth: [Int] = []
        for (c, centre) in centres.enumerated() {
            for _ in 0..<(100 * (c + 1)) {
                points.append(MapPoint(x: centre.x + Float(random.unit() - 0.5) * 0.2, y: centre.y + Float(random.unit() - 0.5) * 0.2))
                truth.append(c)
            }
        }
        let clusters = MapClustering.cluster(points, clusters: 3, seed: 1)
        // The same partition, up to renaming.
        var mapping: [Int: Int] = [:]
        for (found, planted) in zip(clusters, truth) {
            #expect(mapping[found, default: planted] == planted)
            mapping[found] = planted
        }
        #expect(Set(mapping.values).count == 3)

        let ids = (0..<points.count).map { PaperID("2401.\(String(format: "%05d", $0))")! }
        let map = PaperMap.assemble(ids: ids, points: points, clusters: clusters,
                                    terms: [["a", "b", "c", "d"], ["e"], ["f", "g"]],
                                    publishedDay: [Int32](repeating: 0, count: points.count), model: "m", computedAt: .now)
        #expect(map.topics.map(\.papers) == [300, 200, 100], "largest first")
        for (i, topic) in map.topicOfPaper.enumerated() {
            #expect(map.topics[Int(topic)].papers == 100 * (truth[i] + 1), "papers renumbered with their topics")
        }
        let largest = try #require(mapping.first { $0.value == 2 }?.key)
        #expect(map.topics[0].terms == [["a", "b", "c", "d"], ["e"], ["f", "g"]][largest])
        #expect(map.topics[0].label == map.topics[0].terms.prefix(3).joined(separator: ", "))
        #expect(abs(map.topics[0].center.x - 0.5) < 0.02 && abs(map.topics[0].center.y - 0.8) < 0.02)
    }
}
