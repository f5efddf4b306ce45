/// What went wrong with a vector index: a file that cannot be read back (damaged, truncated,
/// from another version) or a vector that does not fit the index. A damaged file is never
/// trusted: the caller rebuilds the index from the store's vectors.
public struct VectorIndexError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: Sendable, Equatable {
        case dimensionMismatch
        case invalidVector
        case unreadableFile
        case corruptFile
        case unsupportedVersion
    }

    public var code: Code
    public var message: String
    /// The index file, when the error is about one.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        if let path { return "vector index \(path): \(message)" }
        return "vector index: \(message)"
    }
}
