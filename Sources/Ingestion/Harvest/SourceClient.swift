import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PaperboyCore

/// The one way harvesters talk to arXiv and Hugging Face: a polite GET that names Paperboy and
/// its operator, and that survives the faults real sources have (503 with `Retry-After`, resets,
/// stalls, pages cut short) by asking again as `RetryPolicy` says.
///
/// Faults that asking again cannot fix (a 404, an answer the decoder rejects) fail at once.
public struct SourceClient: Sendable {
    /// Larger answers are refused: a full OAI-PMH page is a few MiB, so anything near this is
    /// not a page.
    public static let defaultMaxBodyBytes = 64 << 20

    /// The HTTP client settings harvesting wants: a refused connection fails the attempt at
    /// once rather than being retried inside the client until the timeout, because
    /// `SourceClient` already retries, with backoff, and logs each time.
    public static var httpConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    let http: HTTPClient
    /// `Paperboy/<version> (+mailto:<contact>)`: arXiv asks harvesters to say who runs them.
    public let userAgent: String
    public let retry: RetryPolicy
    /// The longest one attempt may take, from sending the request to the body's last byte.
    public let timeout: Duration
    public let maxBodyBytes: Int
    let logger: Logger

    public init(
        http: HTTPClient, contact: String?, retry: RetryPolicy, timeout: Duration, logger: Logger,
        maxBodyBytes: Int = SourceClient.defaultMaxBodyBytes
    ) {
        self.http = http
        self.userAgent = Self.userAgent(contact: contact)
        self.retry = retry
        self.timeout = timeout
        self.logger = logger
        self.maxBodyBytes = maxBodyBytes
    }

    /// The `User-Agent` sent with every request; without a contact it names Paperboy only.
    public static func userAgent(contact: String?) -> String {
        let contact = contact?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let product = "Paperboy/\(PaperboyVersion.current)"
        return contact.isEmpty ? product : "\(product) (+mailto:\(contact))"
    }

    /// GETs `url` and returns what `decode` makes of a 2xx body, asking again after transient
    /// faults: 408, 429 and 5xx answers, network errors, timeouts, a body shorter than its
    /// `Content-Length`, and a `decode` that throws a `TransientPageError`.
    ///
    /// - Parameter explainRefusal: reads the body of an answer refused for good (a 4xx other
    ///   than 408 and 429) for the source's own reason, which the error then quotes: arXiv's API
    ///   says what is wrong with a query only there ("incorrect id format for abc").
    /// - Throws: `HarvestError` when the last attempt fails or the fault is permanent, and
    ///   `CancellationError` as soon as the task is cancelled.
    public func fetch<T>(_ url: String, explainRefusal: ((Data) -> String?)? = nil,
                         decode: (Data) throws -> T) async throws -> T {
        try validate(url)
        var random = SystemRandomNumberGenerator()
        let attempts = max(retry.attempts, 1)
        for attempt in 1...attempts {
            try Task.checkCancellation()
            let setback: Setback
            do {
                let body = try await download(url, explainRefusal: explainRefusal)
                do {
                    return try decode(body)
                } catch let error as any TransientPageError {
                    setback = Setback(reason: "the page arrived incomplete", finalCode: .malformed, cause: error)
                } catch {
                    throw HarvestError(
                        .malformed, url: url,
                        message: "The answer from \(url) could not be read; the source may have changed its format.",
                        cause: error)
                }
            } catch let error as Setback {
                setback = error
            }
            guard attempt < attempts else {
                throw setback.harvestError(url: url, attempts: attempt)
            }
            let wait = retry.delay(afterAttempt: attempt, retryAfter: setback.retryAfter, random: &random)
            var metadata: Logger.Metadata = [
                "url": .string(url), "attempt": .stringConvertible(attempt), "attempts": .stringConvertible(attempts),
                "wait": .stringConvertible(wait), "reason": .string(setback.reason),
            ]
            if let cause = setback.cause { metadata["cause"] = .string("\(cause)") }
            logger.warning("Fetching again after a transient fault", metadata: metadata)
            try await Task.sleep(for: wait)
        }
        preconditionFailure("a retry policy has at least one attempt")
    }

    /// Refuses what is not an absolute http(s) URL before any attempt, since retrying cannot fix it.
    private func validate(_ url: String) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parsed.host, !host.isEmpty
        else {
            throw HarvestError(.malformed, url: url, message: "\(url) is not an http or https URL; check the source's address.")
        }
    }

    /// One attempt: the body of a 2xx answer, or a `Setback` to retry, or a `HarvestError`.
    private func download(_ url: String, explainRefusal: ((Data) -> String?)?) async throws -> Data {
        var request = HTTPClientRequest(url: url)  // a GET
        request.headers.replaceOrAdd(name: "User-Agent", value: userAgent)
        let deadline = ContinuousClock.now + timeout
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .nanoseconds(timeout.nanoseconds), logger: logger)
        } catch {
            throw try classify(error, url: url)
        }
        let status = response.status
        guard (200..<300).contains(status.code) else {
            // Reading the body keeps the connection reusable, and a refusal may explain itself there.
            let body = try? await within(deadline) { try await response.body.collect(upTo: 1 << 16) }
            let statusText = "\(status.code) \(status.reasonPhrase)"
            guard status.code == 408 || status.code == 429 || status.code >= 500 else {
                let reason = body.flatMap { explainRefusal?(Data($0.readableBytesView)) }.map { ", saying \"\($0)\"" } ?? ""
                throw HarvestError(
                    .refused, url: url,
                    message: "\(url) was refused with \(statusText)\(reason); asking again will not help, check the URL and its query.")
            }
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryPolicy.retryAfter($0, now: Date()) }
            throw Setback(reason: "the server answered \(statusText)", retryAfter: retryAfter)
        }
        let body: ByteBuffer
        do {
            body = try await within(deadline) { try await response.body.collect(upTo: maxBodyBytes) }
        } catch {
            throw try classify(error, url: url)
        }
        if let declared = response.headers.first(name: "Content-Length").flatMap({ Int($0) }),
           response.headers.first(name: "Content-Encoding") == nil, body.readableBytes < declared {
            throw Setback(reason: "the body ended after \(body.readableBytes) of its \(declared) bytes")
        }
        return Data(body.readableBytesView)
    }

    /// Sorts a transport error into one to retry (a `Setback`) or one that ends the fetch.
    private func classify(_ error: any Error, url: String) throws -> Setback {
        if Task.isCancelled || error is CancellationError { throw CancellationError() }
        if error is NIOTooManyBytesError {
            throw HarvestError(
                .malformed, url: url,
                message: "The answer from \(url) is larger than \(maxBodyBytes >> 20) MiB, too large to be one page; check the URL.",
                cause: error)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .alreadyShutdown:
                throw HarvestError(.unreachable, url: url, message: "\(url) was not fetched: the HTTP client was already shut down.", cause: error)
            case .invalidURL, .emptyHost, .emptyScheme:
                throw HarvestError(.malformed, url: url, message: "\(url) is not a URL that can be fetched; check the source's address.", cause: error)
            case .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return Setback(reason: "no complete answer came within \(timeout)", cause: error)
            case .remoteConnectionClosed, .bodyLengthMismatch:
                return Setback(reason: "the connection closed before the whole answer arrived", cause: error)
            default:
                break
            }
        }
        if error is AttemptDeadlineExceeded {
            return Setback(reason: "no complete answer came within \(timeout)", cause: error)
        }
        if case HTTPParserError.invalidEOFState = error {
            return Setback(reason: "the connection closed before the whole answer arrived", cause: error)
        }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return Setback(reason: "the connection was refused (is the server up?)", cause: error)
        }
        return Setback(reason: "the connection failed", cause: error)
    }
}
