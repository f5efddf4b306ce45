/// Why fetching from a source failed, in words a person can act on: which URL, what the server
/// or the network did, and the underlying error when there is one.
public struct HarvestError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it was, for code that decides what to do next.
    public enum Code: String, Sendable, Hashable {
        /// No usable answer came back on any attempt: the network, a timeout, or a server that
        /// kept answering 5xx or 429. Trying again later may work.
        case unreachable
        /// The server answered and said no (a 4xx other than 408 and 429): asking again will
        /// not help until the request changes.
        case refused
        /// The URL could not be requested, or the answer could not be read (too large, or not
        /// what the decoder expects).
        case malformed
    }

    public var code: Code
    /// The URL that was asked for.
    public var url: String
    /// One sentence naming the URL, what went wrong and what to do about it.
    public var message: String
    /// The error underneath (a network error, a decoder's error), when there is one.
    public var cause: (any Error)?

    public init(_ code: Code, url: String, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.url = url
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause else { return message }
        return "\(message) (\(cause))"
    }
}

/// Marks a decoder's error as a fault of the transfer, not of the source: the page was cut
/// short or garbled on the way, so `SourceClient` fetches it again instead of giving up.
public protocol TransientPageError: Error {}
