import ArgumentParser
import Foundation
import PaperboyCore

/// Stores prepared vectors (one `.npy` row per paper, in the store's id order) as the
/// papers' vectors of a model, for load tests at a size the real model cannot embed here
/// (1M papers at ~20 papers/s would take 14 hours). The vectors then go everywhere real
/// ones do (vector index, hybrid search), so the timing is real; the ranking is not.
struct BenchAttachVectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach-vectors",
                                                    abstract: "Store prepared vectors as the papers' vectors (load tests).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "float32 .npy of vectors, one row per paper.") var vectors: String
    @Option(help: "The model name to store them under.") var model = "all-MiniLM-L6-v2"

    func run() async throws {
        let store = try await global.openStore()
        let matrix = try NumpyMatrix(path: vectors)
        var row = 0, after: PaperID?
        var vector = [Float](repeating: 0, count: matrix.columns)
        let bar = ProgressBar(label: "attaching")
        while row < matrix.rows {
            let papers = try await store.papersNeedingVectors(model: model, after: after, limit: 1_000)
            guard let last = papers.last else { break }
            var batch: [PaperVector] = []
            for paper in papers where row < matrix.rows {
                try matrix.readFloatRow(row, into: &vector)
                batch.append(PaperVector(paper: paper, vector: vector))
                row += 1
            }
            try await store.saveVectors(batch, model: model)
            after = last.id
            bar.update(fraction: Double(row) / Double(matrix.rows), count: row, unit: "vectors")
        }
        bar.finish()
        print("Stored \(row.formatted()) vectors under \(model).")
    }
}
