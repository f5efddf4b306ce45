import Foundation

/// The weights of a BERT encoder, read from `model.safetensors` and packed for the kernels.
/// Query, key and value are packed as one `Linear` of 3×hidden outputs, so one matrix
/// multiply projects all three.
struct BertWeights: Sendable {
    struct Layer: Sendable {
        let queryKeyValue: PackedLinear
        let attentionOutput: PackedLinear
        let attentionNorm: Norm
        let intermediate: PackedLinear
        let output: PackedLinear
        let outputNorm: Norm
    }

    struct Norm: Sendable {
        let gamma: [Float]
        let beta: [Float]
    }

    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    let tokenTypeEmbedding: [Float]
    let embeddingNorm: Norm
    let layers: [Layer]

    init(file: SafetensorsFile, config: BertConfig) throws {
        // Some exports prefix every name with `bert.`.
        let prefix = file.entries["embeddings.word_embeddings.weight"] == nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            let t = try file.tensor(prefix + name)
            guard t.shape == shape else {
                throw EncoderError(path: file.path, message: "tensor \(prefix + name) has shape \(t.shape), expected \(shape)")
            }
            return t.values
        }
        let h = config.hiddenSize, i = config.intermediateSize
        func norm(_ name: String) throws -> Norm {
            Norm(gamma: try tensor(name + ".weight", [h]), beta: try tensor(name + ".bias", [h]))
        }
        func linear(_ name: String, inputs: Int, outputs: Int) throws -> PackedLinear {
            PackedLinear(weight: try tensor(name + ".weight", [outputs, inputs]),
                         bias: try tensor(name + ".bias", [outputs]), inputs: inputs, outputs: outputs)
        }
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [config.vocabularySize, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [config.maxPositions, h])
        tokenTypeEmbedding = Array(try file.tensor(prefix + "embeddings.token_type_embeddings.weight").values.prefix(h))
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<config.layerCount).map { index in
            let name = "encoder.layer.\(index)"
            let q = try tensor("\(name).attention.self.query.weight", [h, h])
            let k = try tensor("\(name).attention.self.key.weight", [h, h])
            let v = try tensor("\(name).attention.self.value.weight", [h, h])
            let qb = try tensor("\(name).attention.self.query.bias", [h])
            let kb = try tensor("\(name).attention.self.key.bias", [h])
            let vb = try tensor("\(name).attention.self.value.bias", [h])
            return Layer(
                queryKeyValue: PackedLinear(weight: q + k + v, bias: qb + kb + vb, inputs: h, outputs: 3 * h),
                attentionOutput: try linear("\(name).attention.output.dense", inputs: h, outputs: h),
                attentionNorm: try norm("\(name).attention.output.LayerNorm"),
                intermediate: try linear("\(name).intermediate.dense", inputs: h, outputs: i),
                output: try linear("\(name).output.dense", inputs: i, outputs: h),
                outputNorm: try norm("\(name).output.LayerNorm"))
        }
    }
}
