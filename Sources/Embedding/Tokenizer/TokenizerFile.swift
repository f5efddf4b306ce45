import Foundation
import PaperboyCore

/// A tokenizer or model configuration file that could not be used, naming the file and the
/// field so a person can fix or re-download it.
public struct TokenizerFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let field: String
    public let problem: String

    public init(file: String, field: String, problem: String) {
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var description: String {
        field.isEmpty ? "\(file): \(problem)" : "\(file): field \(field): \(problem)"
    }
}

/// The parts of a Hugging Face `tokenizer.json` that a BERT WordPiece tokenizer needs,
/// read with `JSONSerialization` so each missing or mistyped field can be named.
struct TokenizerFile: Sendable {
    var vocabulary: [String: Int32]
    var unknownToken: String
    var continuingSubwordPrefix: String
    var maxInputCharsPerWord: Int
    var normalizer: BertNormalizer
    var prefixIDs: [Int32]
    var suffixIDs: [Int32]
    /// Added tokens matched verbatim in the raw text before normalization (`[CLS]`, `[SEP]`, …),
    /// longest first, as `tokenizers` does for added tokens with `normalized: false`.
    var addedTokens: [(content: [UInt8], id: Int32)]

    init(contentsOf url: URL) throws {
        let file = url.path
        func fail(_ field: String, _ problem: String) -> TokenizerFileError {
            TokenizerFileError(file: file, field: field, problem: problem)
        }
        let data: Data
        do { data = try Data(readingFile: url) } catch {
            throw fail("", "cannot be read (\(error.localizedDescription))")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("", "is not a JSON object")
        }
        guard let model = root["model"] as? [String: Any] else { throw fail("model", "missing") }
        guard (model["type"] as? String) == "WordPiece" else {
            throw fail("model.type", "expected \"WordPiece\", found \(model["type"] ?? "nothing")")
        }
        guard let vocab = model["vocab"] as? [String: Any] else { throw fail("model.vocab", "missing") }
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(vocab.count)
        for (piece, value) in vocab {
            guard let id = Self.id(value) else {
                throw fail("model.vocab.\(piece)", "id is not a whole number from 0 to \(Int32.max)")
            }
            vocabulary[piece] = id
        }
        self.vocabulary = vocabulary
        unknownToken = model["unk_token"] as? String ?? "[UNK]"
        guard vocabulary[unknownToken] != nil else {
            throw fail("model.unk_token", "\(unknownToken) is not in model.vocab")
        }
        continuingSubwordPrefix = model["continuing_subword_prefix"] as? String ?? "##"
        maxInputCharsPerWord = (model["max_input_chars_per_word"] as? NSNumber)?.intValue ?? 100

        guard let norm = root["normalizer"] as? [String: Any] else { throw fail("normalizer", "missing") }
        guard (norm["type"] as? String) == "BertNormalizer" else {
            throw fail("normalizer.type", "expected \"BertNormalizer\", found \(norm["type"] ?? "nothing")")
        }
        let lowercase = (norm["lowercase"] as? Bool) ?? true
        normalizer = BertNormalizer(
            cleanText: (norm["clean_text"] as? Bool) ?? true,
            handleChineseChars: (norm["handle_chinese_chars"] as? Bool) ?? true,
            stripAccents: (norm["strip_accents"] as? Bool) ?? lowercase,  // null means "as lowercase"
            lowercase: lowercase)

        if let pre = root["pre_tokenizer"] as? [String: Any], (pre["type"] as? String) != "BertPreTokenizer" {
            throw fail("pre_tokenizer.type", "expected \"BertPreTokenizer\", found \(pre["type"] ?? "nothing")")
        }
        var added: [(content: [UInt8], id: Int32)] = []
        for (index, entry) in ((root["added_tokens"] as? [[String: Any]]) ?? []).enumerated() {
            guard let content = entry["content"] as? String, let id = Self.id(entry["id"]) else {
                throw fail("added_tokens[\(index)]", "needs a string content and an integer id")
            }
            if (entry["normalized"] as? Bool) == false, !content.isEmpty { added.append((Array(content.utf8), id)) }
        }
        addedTokens = added.sorted { $0.content.count > $1.content.count }
        (prefixIDs, suffixIDs) = try Self.specialTokens(root["post_processor"], vocabulary: vocabulary, fail: fail)
    }

    /// A token id as the embedding table indexes it: a whole number, not negative, that fits.
    static func id(_ value: Any?) -> Int32? {
        guard let number = value as? NSNumber, let id = Int32(exactly: number.doubleValue), id >= 0 else { return nil }
        return id
    }

    /// The ids put before and after the single-sequence text by the post-processor
    /// (`[CLS]` and `[SEP]` for BERT), from either a TemplateProcessing or BertProcessing section.
    private static func specialTokens(
        _ section: Any?, vocabulary: [String: Int32], fail: (String, String) -> TokenizerFileError
    ) throws -> ([Int32], [Int32]) {
        guard let post = section as? [String: Any] else { return ([], []) }
        switch post["type"] as? String {
        case "BertProcessing":
            guard let cls = post["cls"] as? [Any], let clsID = (cls.last as? NSNumber)?.int32Value,
                  let sep = post["sep"] as? [Any], let sepID = (sep.last as? NSNumber)?.int32Value
            else { throw fail("post_processor.cls/sep", "expected [token, id] pairs") }
            return ([clsID], [sepID])
        case "TemplateProcessing":
            guard let single = post["single"] as? [[String: Any]] else {
                throw fail("post_processor.single", "missing")
            }
            let specials = post["special_tokens"] as? [String: Any] ?? [:]
            var prefix: [Int32] = [], suffix: [Int32] = [], seenSequence = false
            for piece in single {
                if piece["Sequence"] != nil { seenSequence = true; continue }
                guard let special = piece["SpecialToken"] as? [String: Any], let name = special["id"] as? String else {
                    throw fail("post_processor.single", "item is neither Sequence nor SpecialToken")
                }
                let ids: [Int32]
                if let entry = specials[name] as? [String: Any], let listed = entry["ids"] as? [NSNumber] {
                    ids = listed.map(\.int32Value)
                } else if let id = vocabulary[name] {
                    ids = [id]
                } else {
                    throw fail("post_processor.special_tokens.\(name)", "no id for this special token")
                }
                if seenSequence { suffix += ids } else { prefix += ids }
            }
            return (prefix, suffix)
        default:
            throw fail("post_processor.type", "expected TemplateProcessing or BertProcessing, found \(post["type"] ?? "nothing")")
        }
    }
}
