import Foundation
import VectorMath

/// The BERT encoder forward pass (embeddings, then self-attention + GELU feed-forward layers
/// with post-LayerNorm), followed by sentence-transformers' mean pooling and normalization.
///
/// Several sequences are encoded together without padding: their tokens are stacked into one
/// matrix for every per-token step (projections, feed-forward, norms), and only attention
/// runs per sequence, over that sequence's own tokens.
public struct BertEncoder: Sendable {
    public let config: BertConfig
    let weights: BertWeights

    public init(config: BertConfig, weights file: SafetensorsFile) throws {
        self.config = config
        self.weights = try BertWeights(file: file, config: config)
    }

    /// Loads `config.json` and `model.safetensors` from a model directory.
    public init(modelDirectory: URL) throws {
        let config = try BertConfig.load(modelDirectory.appendingPathComponent("config.json"))
        try self.init(config: config, weights: SafetensorsFile(contentsOf: modelDirectory.appendingPathComponent("model.safetensors")))
    }

    /// Encodes `sequences` (token ids with [CLS] and [SEP], none longer than the workspace's
    /// `maxLength`, together at most its `capacity` tokens) into unit-length sentence vectors,
    /// written one after another to `output`.
    func encode(_ sequences: ArraySlice<[Int32]>, workspace w: EncoderWorkspace, output: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        let tokens = sequences.reduce(0) { $0 + $1.count }
        precondition(tokens <= w.capacity, "a group of \(tokens) tokens exceeds the workspace")
        embed(sequences, into: w.hidden)
        for layer in weights.layers {
            layer.queryKeyValue.apply(rows: tokens, x: w.hidden, y: w.queryKeyValue)
            var offset = 0
            for sequence in sequences {
                attend(offset: offset, length: sequence.count, workspace: w)
                offset += sequence.count
            }
            // hidden = LayerNorm(hidden + context·Wᵀ + b)
            layer.attentionOutput.apply(rows: tokens, x: w.context, y: w.hidden, accumulate: true)
            normalize(rows: tokens, w.hidden, layer.attentionNorm)
            layer.intermediate.apply(rows: tokens, x: w.hidden, y: w.intermediate)
            VectorMath.gelu(w.intermediate, count: tokens * config.intermediateSize)
            layer.output.apply(rows: tokens, x: w.intermediate, y: w.hidden, accumulate: true)
            normalize(rows: tokens, w.hidden, layer.outputNorm)
        }
        var offset = 0
        for (index, sequence) in sequences.enumerated() {
            VectorMath.meanPoolNormalized(w.hidden + offset * h, count: sequence.count, width: h, into: output + index * h)
            offset += sequence.count
        }
    }

    /// Word + position + token-type embeddings, then LayerNorm.
    private func embed(_ sequences: ArraySlice<[Int32]>, into hidden: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        var row = hidden
        weights.wordEmbeddings.withUnsafeBufferPointer { words in
            weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                weights.tokenTypeEmbedding.withUnsafeBufferPointer { tokenType in
                    for sequence in sequences {
                        for (position, id) in sequence.enumerated() {
                            let word = words.baseAddress.unsafelyUnwrapped + Int(id) * h
                            let place = positions.baseAddress.unsafelyUnwrapped + position * h
                            for j in 0..<h { row[j] = word[j] + place[j] + tokenType[j] }
                            row += h
                        }
                    }
                }
            }
        }
        normalize(rows: sequences.reduce(0) { $0 + $1.count }, hidden, weights.embeddingNorm)
    }

    /// Multi-head self-attention of one sequence: for each head, softmax(Q·Kᵀ/√d)·V into
    /// that head's columns of `context`.
    private func attend(offset: Int, length: Int, workspace w: EncoderWorkspace) {
        let h = config.hiddenSize, d = config.headSize, stride = 3 * h
        let base = w.queryKeyValue + offset * stride
        let scale = 1 / Float(d).squareRoot()
        for head in 0..<config.headCount {
            let query = base + head * d, key = base + h + head * d, value = base + 2 * h + head * d
            // Kᵀ as B: element (i, j) is key j's component i.
            VectorMath.pack(k: d, n: length, source: key, rowStride: 1, columnStride: stride, into: w.packedHead)
            VectorMath.multiply(m: length, n: length, k: d, a: query, lda: stride, packedB: w.packedHead,
                                c: w.scores, ldc: length)
            VectorMath.softmax(w.scores, rows: length, count: length, stride: length, scale: scale)
            VectorMath.pack(k: length, n: d, source: value, rowStride: stride, columnStride: 1, into: w.packedHead)
            VectorMath.multiply(m: length, n: d, k: length, a: w.scores, lda: length, packedB: w.packedHead,
                                c: w.context + offset * h + head * d, ldc: h)
        }
    }

    private func normalize(rows: Int, _ matrix: UnsafeMutablePointer<Float>, _ norm: BertWeights.Norm) {
        let h = config.hiddenSize
        norm.gamma.withUnsafeBufferPointer { gamma in
            norm.beta.withUnsafeBufferPointer { beta in
                for r in 0..<rows {
                    VectorMath.addLayerNorm(matrix + r * h, residual: nil, gamma: gamma.baseAddress.unsafelyUnwrapped,
                                            beta: beta.baseAddress.unsafelyUnwrapped, count: h,
                                            epsilon: config.layerNormEpsilon)
                }
            }
        }
    }
}
