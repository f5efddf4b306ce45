import ArgumentParser
import Embedding
import Foundation
import Logging
import PaperMap
import PaperboyCore

/// `paperboy map`: computes the map of the field from the stored vectors of the installed
/// model and saves it as `map.bin` in the data directory, for the server to draw.
///
/// The stages (in `PaperMap`): PCA, a k-nearest-neighbour graph and a UMAP layout of a
/// landmark sample, every other paper placed among the landmarks, then topics by k-means on
/// the picture named by c-TF-IDF over titles and abstracts. Vectors are read page by page;
/// papers are read afterwards, for their days and (a sample per topic of) their texts.
struct MapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Compute the map of the field from the paper vectors.",
        discussion: """
            Lays out every paper with a vector on a plane so that papers about the same thing \
            sit together, groups them into labelled topics and saves the result as map.bin in \
            the data directory. Run `paperboy embed` first.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Papers laid out in full; the others are placed among them.", valueName: "n"))
    var landmarks = 20_000

    @Option(help: ArgumentHelp("Topics (default: √(papers/20), within 8…60).", valueName: "n"))
    var topics: Int?

    @Option(help: ArgumentHelp("Seed for the sample and the layout: the same seed gives the same map.", valueName: "n"))
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Map only the first n papers with vectors (by id), e.g. to time a smaller map.", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Layout epochs (default: 500 up to 10,000 landmarks, else 200).", valueName: "n"))
    var epochs: Int?

    @Flag(help: "Also measure trustworthiness and neighbour recall of the map and of PCA alone, on a sample.")
    var quality = false

    @Option(help: ArgumentHelp("Papers in the --quality sample.", valueName: "n"))
    var qualitySample = 2_000

    @Option(help: ArgumentHelp("Also draw the map, with its topic labels, as a PNG picture at this path.", valueName: "file"))
    var png: String?

    @Option(help: ArgumentHelp("The --png picture's width and height in pixels.", valueName: "pixels"))
    var pngSize = 1_600

    @Flag(help: "With --png, draw the map last saved instead of computing a new one.")
    var saved = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        if landmarks < 2 { throw ValidationError("--landmarks must be at least 2.") }
        if let topics, !(1...1000).contains(topics) { throw ValidationError("--topics must be within 1…1000.") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1.") }
        if qualitySample < 50 { throw ValidationError("--quality-sample must be at least 50.") }
        if !(64...8_192).contains(pngSize) { throw ValidationError("--png-size must be within 64…8192.") }
        if saved, png == nil { throw ValidationError("--saved draws the saved map: give --png FILE too.") }
    }

    func run() async throws {
        if saved, let png {
            let file = MapFile(dataDirectory: global.dataDirectory)
            guard FileManager.default.fileExists(atPath: file.url.path) else {
                Terminal.printError("there is no saved map at \(file.url.path); `paperboy map` computes one")
                throw ExitCode(1)
            }
            let map: PaperMap
            do {
                map = try file.load()
            } catch {
                Terminal.printError("\(error); `paperboy map` computes one")
                throw ExitCode(1)
            }
            try drawPicture(map, to: png)
            if !json { print("Drew the map of \(map.count.formatted) papers saved \(UTCDay.string(map.computedAt)) at \(URL(fileURLWithPath: png).path).") }
            return
        }
        let store = try await global.openStore()
        let logger = Logger(label: "paperboy.map")
        let model = ModelFiles.modelName
        let clock = ContinuousClock()
        let started = clock.now

        var stageStart = clock.now
        let (ids, vectors, dimension) = try await readVectors(store: store, model: model)
        guard !ids.isEmpty else {
            Terminal.printError("no paper has a vector of \(model): run `paperboy embed` first.")
            throw ExitCode(1)
        }
        logger.info("read vectors", metadata: ["papers": "\(ids.count)", "seconds": "\(seconds(clock.now - stageStart))"])

        var parameters = MapParameters()
        parameters.landmarks = landmarks
        parameters.seed = seed
        parameters.epochs = epochs
        let layout = MapLayout.compute(vectors: vectors, count: ids.count, dimension: dimension, parameters: parameters) { stage, duration in
            logger.info("map stage done", metadata: ["stage": "\(stage.rawValue)", "seconds": "\(seconds(duration))"])
        }

        stageStart = clock.now
        let topicCount = topics.map { min($0, ids.count) } ?? MapClustering.topicCount(papers: ids.count)
        let clusters = MapClustering.cluster(layout.points, clusters: topicCount, seed: seed)
        let (days, terms) = try await readPapers(store: store, ids: ids, clusters: clusters, topicCount: topicCount)
        let map = PaperMap.assemble(ids: ids, points: layout.points, clusters: clusters, terms: terms,
                                    publishedDay: days, model: model, computedAt: Date())
        let topicSeconds = seconds(clock.now - stageStart)
        logger.info("map stage done", metadata: ["stage": "topics", "seconds": "\(topicSeconds)"])

        let file = MapFile(dataDirectory: global.dataDirectory)
        try file.save(map)
        let total = seconds(clock.now - started)
        if let png { try drawPicture(map, to: png) }

        var measured: (map: MapQuality, pca: MapQuality)?
        if quality {
            let sample = min(qualitySample, ids.count)
            let k = min(10, max(1, (sample - 1) / 2 - 1))
            let qualityStart = clock.now
            measured = (MapQuality.measure(vectors: vectors, dimension: dimension, points: layout.points, k: k, sample: sample, seed: seed),
                        MapQuality.measure(vectors: vectors, dimension: dimension, points: layout.pcaPoints, k: k, sample: sample, seed: seed))
            logger.info("quality measured", metadata: ["seconds": "\(seconds(clock.now - qualityStart))"])
        }

        let timings = layout.timings
        if json {
            var summary = MapSummary(
                papers: map.count, landmarks: layout.landmarkIndices.count, file: file.url.path, seconds: total,
                stages: ["pca": seconds(timings.pca), "knn": seconds(timings.neighbours), "layout": seconds(timings.layout),
                         "placement": seconds(timings.placement), "topics": topicSeconds],
                topics: map.topics.map { .init(label: $0.label, papers: $0.papers, terms: $0.terms) })
            summary.picture = png.map { URL(fileURLWithPath: $0).path }
            if let measured {
                summary.quality = .init(k: measured.map.k, sample: measured.map.sample,
                                        trustworthiness: measured.map.trustworthiness, recall: measured.map.neighbourRecall,
                                        pcaTrustworthiness: measured.pca.trustworthiness, pcaRecall: measured.pca.neighbourRecall)
            }
            print(JSONOutput.line(summary))
            return
        }
        let how = layout.landmarkIndices.count < map.count ? " (\(layout.landmarkIndices.count.formatted) laid out, the rest placed)" : ""
        print("Mapped \(map.count.formatted) papers\(how) into \(map.topics.count) topics in \(String(format: "%.1f", total)) s; saved \(file.url.path).")
        if let png { print("Drew the map at \(URL(fileURLWithPath: png).path).") }
        print(String(format: "  PCA %.1f s, neighbours %.1f s, layout %.1f s, placement %.1f s, topics %.1f s",
                     seconds(timings.pca), seconds(timings.neighbours), seconds(timings.layout),
                     seconds(timings.placement), topicSeconds))
        for (index, topic) in map.topics.enumerated() {
            print(String(format: "%3d. %@ (%@ papers)", index + 1, topic.label, topic.papers.formatted))
        }
        if let measured {
            print(String(format: "Quality on %d papers, k = %d: trustworthiness %.3f (PCA alone %.3f), neighbour recall %.3f (PCA alone %.3f).",
                         measured.map.sample, measured.map.k, measured.map.trustworthiness, measured.pca.trustworthiness,
                         measured.map.neighbourRecall, measured.pca.neighbourRecall))
        }
    }

    /// The map as a picture, written whole or not at all (a temporary file renamed over it).
    private func drawPicture(_ map: PaperMap, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            let picture = try MapPainter(map: map).picture(width: pngSize, height: pngSize)
            try picture.write(to: url, options: .atomic)
        } catch {
            Terminal.printError("cannot write the picture \(url.path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }

    /// Every stored vector of `model`, page by page, in id order (the first `limit`).
    private func readVectors(store: any PaperStore, model: String) async throws -> ([PaperID], [Float], Int) {
        let total = min(try await store.vectorCount(model: model), limit ?? .max)
        var ids: [PaperID] = []
        var vectors: [Float] = []
        var dimension = 0
        ids.reserveCapacity(total)
        let bar = ProgressBar(label: "reading vectors")
        defer { bar.finish() }
        var after: PaperID?
        while ids.count < total {
            let page = try await store.vectors(model: model, after: after, limit: min(10_000, total - ids.count))
            guard let last = page.last else { break }
            if dimension == 0 {
                dimension = last.vector.count
                vectors.reserveCapacity(total * dimension)
            }
            for vector in page where vector.vector.count == dimension {
                ids.append(vector.id)
                vectors.append(contentsOf: vector.vector)
            }
            after = last.id
            bar.update(fraction: total > 0 ? Double(ids.count) / Double(total) : nil, count: ids.count, unit: "vectors")
        }
        return (ids, vectors, dimension)
    }

    /// Each paper's publication day, and the topics' terms from the titles and abstracts of
    /// up to 2,000 papers per topic (c-TF-IDF settles long before that, and reading a million
    /// abstracts through the analyzer would take longer than the layout).
    private func readPapers(store: any PaperStore, ids: [PaperID], clusters: [Int], topicCount: Int)
        async throws -> ([Int32], [[String]]) {
        let perTopic = 2_000
        var sizes = [Int](repeating: 0, count: topicCount)
        for c in clusters { sizes[c] += 1 }
        // Every paper of a small topic; a spread of papers (every n-th) of a large one.
        let strides = sizes.map { max(1, ($0 + perTopic - 1) / perTopic) }
        var seen = [Int](repeating: 0, count: topicCount)
        var days = [Int32](repeating: Int32.min, count: ids.count)
        var terms = TopicTerms(clusters: topicCount)
        let bar = ProgressBar(label: "reading papers")
        defer { bar.finish() }
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let end = min(ids.count, start + 1_000)
            let papers = try await store.papers(ids: Array(ids[start..<end]))
            for i in start..<end {
                guard let paper = papers[ids[i]] else { continue }
                if let published = paper.published {
                    days[i] = Int32(clamping: Int((published.timeIntervalSince1970 / 86_400).rounded(.down)))
                }
                let c = clusters[i]
                if seen[c] % strides[c] == 0 { terms.add(paper.title + "\n" + paper.abstract, cluster: c) }
                seen[c] += 1
            }
            bar.update(fraction: Double(end) / Double(ids.count), count: end, unit: "papers")
        }
        return (days, terms.terms(count: 10))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// What `paperboy map --json` prints.
struct MapSummary: Encodable {
    struct Topic: Encodable {
        var label: String
        var papers: Int
        var terms: [String]
    }

    struct Quality: Encodable {
        var k: Int
        var sample: Int
        var trustworthiness: Double
        var recall: Double
        var pcaTrustworthiness: Double
        var pcaRecall: Double
    }

    var papers: Int
    var landmarks: Int
    var file: String
    var seconds: Double
    var stages: [String: Double]
    var topics: [Topic]
    var quality: Quality?
    /// The `--png` picture's path.
    var picture: String?
}
