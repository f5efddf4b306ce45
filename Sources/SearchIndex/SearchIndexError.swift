/// What went wrong with an index file, said so a person can act on it. A missing, stale or
/// corrupt file is never fatal: the caller rebuilds the index from the store.
public struct SearchIndexError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: Sendable, Equatable {
        /// There is no index file yet.
        case missing
        /// The file is damaged: truncated, bad checksum, malformed section.
        case corrupt
        /// The file was written by another format version.
        case incompatible
        /// Reading or writing failed (permissions, disk full).
        case io
    }

    public var code: Code
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
