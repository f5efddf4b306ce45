import Foundation
import PaperboyCore

/// The parts of a Hugging Face BERT `config.json` the encoder needs.
public struct BertConfig: Sendable, Equatable, Decodable {
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var vocabularySize: Int
    public var layerNormEpsilon: Float
    public var activation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", layerCount = "num_hidden_layers", headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size", maxPositions = "max_position_embeddings"
        case vocabularySize = "vocab_size", layerNormEpsilon = "layer_norm_eps", activation = "hidden_act"
    }

    public var headSize: Int { hiddenSize / headCount }

    /// Reads and checks `config.json`; the encoder implements absolute positions and GELU only.
    public static func load(_ url: URL) throws -> BertConfig {
        let config: BertConfig
        do {
            config = try JSONDecoder().decode(BertConfig.self, from: Data(readingFile: url))
        } catch {
            throw EncoderError(path: url.path, message: "not a BERT config.json: \(error)")
        }
        guard config.activation == "gelu" else {
            throw EncoderError(path: url.path, message: "hidden_act \"\(config.activation)\" is not supported (only \"gelu\")")
        }
        guard config.headCount > 0, config.hiddenSize % config.headCount == 0 else {
            throw EncoderError(path: url.path, message: "hidden_size \(config.hiddenSize) does not split into \(config.headCount) heads")
        }
        return config
    }
}

/// A model file the encoder cannot use, with the file and the reason.
public struct EncoderError: Error, Sendable, CustomStringConvertible, Equatable {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
