/// An error a person can act on: what went wrong, where (file, line, field, value), and the
/// underlying cause when there is one. The CLI prints `description` and exits non-zero.
public struct PaperboyError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknownFormat, unreadableFile, emptyFile, invalidInput, storage, notFound, invalidArgument
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return message }
        return "\(message) (\(cause))"
    }
}
