import ArgumentParser
import Embedding
import Foundation
import VectorMath

/// Embeds a JSONL file of `{"text": …}` lines after a warm-up and reports the time of the
/// embedding alone, for `bench/embedding_benchmark.py`.
struct BenchEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "embed", abstract: "Time the sentence embedder.")

    @Option(help: "A JSONL file with one {\"text\": …} object per line.")
    var texts: String

    @Option(help: "The model directory.")
    var model: String

    @Option var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print JSON (the only output format).")
    var json = false

    func run() throws {
        struct Line: Decodable { let text: String }
        let decoder = JSONDecoder()
        let lines = try String(contentsOfFile: texts, encoding: .utf8).split(separator: "\n")
            .map { try decoder.decode(Line.self, from: Data($0.utf8)).text }
        let embedder = try SentenceEmbedder(modelDirectory: URL(fileURLWithPath: model), threads: threads)
        let tokenized = lines.map { embedder.tokenizer.encode($0) }
        _ = embedder.embed(tokenized: Array(tokenized.prefix(4 * threads)))   // warm-up
        let start = DispatchTime.now().uptimeNanoseconds
        let vectors = embedder.embed(tokenized: tokenized)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let result: [String: Any] = [
            "texts": vectors.count, "tokens": tokenized.reduce(0) { $0 + $1.count },
            "seconds": seconds, "kernels": VectorMath.kernelName, "threads": threads,
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    }
}

/// The machine's measured peak single-precision rate, the yardstick for the embedder.
struct BenchPeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peak", abstract: "Measure the peak FP32 rate.")

    @Option var threads = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print JSON (the only output format).")
    var json = false

    func run() {
        let gflops = VectorMath.measurePeakGFLOPS(threads: threads)
        // The encoder's widest product: 512 stacked tokens through the 384→1536 MLP layer.
        let multiply = VectorMath.measureMultiplyGFLOPS(m: 512, n: 1536, k: 384)
        print("{\"gflops\": \(gflops), \"multiply_gflops_one_thread\": \(multiply), \"kernels\": \"\(VectorMath.kernelName)\", \"threads\": \(threads)}")
    }
}
