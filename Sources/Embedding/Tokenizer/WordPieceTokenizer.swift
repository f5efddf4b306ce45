import Foundation
import PaperboyCore

/// The WordPiece tokenizer of BERT-family sentence embedders (all-MiniLM-L6-v2), driven by
/// the model's `tokenizer.json`, producing the same ids as Hugging Face `tokenizers` so the
/// embeddings match the reference model.
///
/// The truncation and padding sections of `tokenizer.json` are ignored: the embedder pads
/// itself, and the length limit comes from `maxLength` (`sentence_bert_config.json`).
public struct WordPieceTokenizer: Sendable {
    /// Pieces that may start a word.
    private let wordStarts: [[UInt8]: Int32]
    /// Pieces that continue a word, stored without their `##` prefix.
    private let continuations: [[UInt8]: Int32]
    private let unknownID: Int32
    private let maxInputCharsPerWord: Int
    /// The longest piece in scalars, so the greedy search never tries longer candidates.
    private let longestPiece: Int
    private let normalizer: BertNormalizer
    private let prefixIDs: [Int32]
    private let suffixIDs: [Int32]
    private let addedTokens: [(content: [UInt8], id: Int32)]
    /// The most ids `encode` returns, special tokens included.
    public let maxLength: Int
    public let vocabularySize: Int
    /// The largest id `encode` can give: the model's embedding table must have a row for it.
    public let largestID: Int32

    /// Reads a Hugging Face `tokenizer.json` whose model is WordPiece with a BERT normalizer.
    /// Errors name the file and the field that is missing or unsupported.
    public init(contentsOf tokenizerJSON: URL, maxLength: Int) throws {
        let file = try TokenizerFile(contentsOf: tokenizerJSON)
        guard maxLength >= file.prefixIDs.count + file.suffixIDs.count else {
            throw TokenizerFileError(
                file: tokenizerJSON.path, field: "maxLength",
                problem: "\(maxLength) leaves no room for the special tokens")
        }
        var starts: [[UInt8]: Int32] = [:], continuations: [[UInt8]: Int32] = [:]
        var longest = 0
        // Byte-wise: with `String` methods "##" + a combining mark would be one Character.
        let prefix = Array(file.continuingSubwordPrefix.utf8)
        for (piece, id) in file.vocabulary {
            let bytes = Array(piece.utf8)
            if !prefix.isEmpty, bytes.starts(with: prefix) {
                let rest = Array(bytes.dropFirst(prefix.count))
                continuations[rest] = id
                longest = max(longest, String(decoding: rest, as: UTF8.self).unicodeScalars.count)
            } else {
                starts[bytes] = id
                longest = max(longest, piece.unicodeScalars.count)
            }
        }
        wordStarts = starts
        self.continuations = continuations
        unknownID = file.vocabulary[file.unknownToken] ?? 0
        maxInputCharsPerWord = file.maxInputCharsPerWord
        longestPiece = longest
        normalizer = file.normalizer
        prefixIDs = file.prefixIDs
        suffixIDs = file.suffixIDs
        addedTokens = file.addedTokens
        self.maxLength = maxLength
        vocabularySize = file.vocabulary.count
        largestID = ([unknownID] + file.vocabulary.values + file.addedTokens.map(\.id) + file.prefixIDs + file.suffixIDs).max() ?? 0
    }

    /// Loads `tokenizer.json` and the `max_seq_length` of `sentence_bert_config.json` from a
    /// sentence-transformers model directory.
    public static func load(modelDirectory: URL) throws -> WordPieceTokenizer {
        let config = modelDirectory.appendingPathComponent("sentence_bert_config.json")
        guard let data = try? Data(readingFile: config) else {
            throw TokenizerFileError(file: config.path, field: "", problem: "cannot be read")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let maxLength = (root["max_seq_length"] as? NSNumber)?.intValue
        else {
            throw TokenizerFileError(file: config.path, field: "max_seq_length", problem: "missing or not an integer")
        }
        return try WordPieceTokenizer(
            contentsOf: modelDirectory.appendingPathComponent("tokenizer.json"), maxLength: maxLength)
    }

    /// The ids of `text` with the post-processor's special tokens (`[CLS]` … `[SEP]`),
    /// truncated so the whole sequence has at most `maxLength` ids.
    public func encode(_ text: String) -> [Int32] {
        let budget = maxLength - prefixIDs.count - suffixIDs.count
        var ids = prefixIDs
        ids.reserveCapacity(min(maxLength, text.utf8.count / 3 + 8))
        var body: [Int32] = []
        forEachSegment(of: text) { segment, addedID in
            if let addedID {
                body.append(addedID)
                return body.count < budget
            }
            let scalars = normalizer.normalize(segment)
            BertPreTokenizer.forEachWord(in: scalars) { range in
                appendPieces(of: scalars[range], to: &body)
                return body.count < budget
            }
            return body.count < budget
        }
        ids += body.prefix(budget)
        ids += suffixIDs
        return ids
    }

    /// Greedy longest-match-first WordPiece of one word; the whole word becomes the unknown
    /// token when it is too long or some part of it matches no piece. Candidates are compared
    /// as UTF-8 bytes, not as `String`s, because `String` equality is canonical equivalence
    /// and would match pieces that `tokenizers` treats as different.
    private func appendPieces(of word: ArraySlice<Unicode.Scalar>, to ids: inout [Int32]) {
        if word.count > maxInputCharsPerWord {
            ids.append(unknownID)
            return
        }
        var bytes: [UInt8] = []
        var boundaries: [Int] = [0]  // byte offset where each scalar starts, then the end
        bytes.reserveCapacity(word.count)
        boundaries.reserveCapacity(word.count + 1)
        for scalar in word {
            UTF8.encode(scalar) { bytes.append($0) }
            boundaries.append(bytes.count)
        }
        let mark = ids.count
        var start = 0
        while start < word.count {
            var end = min(word.count, start + longestPiece)
            var found: Int32?
            let table = start == 0 ? wordStarts : continuations
            while end > start {
                if let id = table[Array(bytes[boundaries[start]..<boundaries[end]])] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.removeSubrange(mark...)
                ids.append(unknownID)
                return
            }
            ids.append(id)
            start = end
        }
    }

    /// Splits `text` around verbatim occurrences of added tokens: `body` gets either a plain
    /// segment (`addedID` nil) or an added token's id; it returns false to stop early.
    private func forEachSegment(of text: String, _ body: (String, Int32?) -> Bool) {
        guard !addedTokens.isEmpty else {
            _ = body(text, nil)
            return
        }
        let bytes = Array(text.utf8)
        var segmentStart = 0
        var index = 0
        scan: while index < bytes.count {
            for token in addedTokens where bytes[index] == token.content[0] {
                let end = index + token.content.count
                guard end <= bytes.count, bytes[index..<end].elementsEqual(token.content) else { continue }
                if segmentStart < index, !body(String(decoding: bytes[segmentStart..<index], as: UTF8.self), nil) {
                    return
                }
                if !body("", token.id) { return }
                index = end
                segmentStart = end
                continue scan
            }
            index += 1
        }
        if segmentStart < bytes.count {
            _ = body(String(decoding: bytes[segmentStart..<bytes.count], as: UTF8.self), nil)
        }
    }
}
