import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP session with a server, over SwiftNIO: `connect` greets the server, upgrades to TLS
/// and logs in as configured; `send` then hands over one message at a time, as many as needed,
/// and says what the server made of each; `quit` ends the session politely.
///
/// A session is a conversation with one party at a time, so the client is not `Sendable`: it
/// belongs to the task that connected it. `SMTPTransport` wraps it for whole batches.
public final class SMTPClient {
    public let configuration: SMTPConfiguration
    /// What the server announced in its last EHLO reply (the one after STARTTLS, when there was one).
    public internal(set) var capabilities = SMTPCapabilities.none
    /// Whether STARTTLS succeeded: everything since, including credentials, went encrypted.
    public internal(set) var isEncrypted = false
    let channel: any Channel
    let logger: Logger
    /// Messages started on this connection; every one after the first begins with RSET.
    var transactions = 0

    private init(configuration: SMTPConfiguration, channel: any Channel, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        var logger = logger
        logger[metadataKey: "smtp.server"] = .string(configuration.server)
        self.logger = logger
    }

    deinit {
        channel.close(promise: nil)
    }

    /// Connects to the configured server and readies the session: reads the 220 greeting, says
    /// EHLO (HELO if the server refuses EHLO), upgrades with STARTTLS as `startTLS` says and says
    /// EHLO again, then logs in with the credentials, if any (AUTH PLAIN, else LOGIN).
    ///
    /// - Throws: `MailerError` naming the server, the step that failed and the server's reply.
    public static func connect(
        _ configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "paperboy.mailer")
    ) async throws -> SMTPClient {
        try configuration.validate()
        let tls = try makeTLSContext(configuration)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(configuration.timeouts.connect))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if configuration.implicitTLS, let tls {
                            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname(configuration.host)))
                        }
                        try sync.addHandler(SMTPChannelHandler())
                    }
                }
                .connect(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            throw connectionError(error, configuration: configuration)
        }
        let client = SMTPClient(configuration: configuration, channel: channel, logger: logger)
        client.isEncrypted = configuration.implicitTLS
        do {
            try await client.open(tls: tls)
        } catch {
            await client.close()
            throw error
        }
        return client
    }

    /// Says QUIT, waits briefly for the goodbye, and closes the connection. Never fails: the
    /// messages are already handed over, whatever happens now.
    public func quit() async {
        if channel.isActive {
            _ = try? await exchange("QUIT", step: .quit)
        }
        await close()
    }

    /// Closes the connection without QUIT (after a failure).
    public func close() async {
        try? await channel.close()
    }

    // MARK: - Exchanging commands and replies

    /// Sends `command` (or, for the greeting, nothing) and waits for its reply.
    @discardableResult
    func exchange(_ command: String?, step: SMTPStep) async throws -> SMTPReply {
        let bytes = command.map { channel.allocator.buffer(string: $0 + "\r\n") }
        return try await reply(to: write(bytes, step: step, flush: true), step: step)
    }

    /// Writes `bytes` (flushed only when `flush` says, so pipelined commands leave together)
    /// and returns the reply to come.
    func write(_ bytes: ByteBuffer?, step: SMTPStep, flush: Bool) -> EventLoopFuture<SMTPReply> {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let expectation = SMTPExpectation(step: step, timeout: TimeAmount(configuration.timeouts.limit(for: step)), promise: promise)
        let outbound: SMTPOutbound = bytes.map { .command($0, expectation) } ?? .reply(expectation)
        // A write on a closed channel never reaches the handler, so its failure fails the reply.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { promise.fail(SMTPChannelFailure.transport($0)) }
        if flush {
            channel.writeAndFlush(outbound, promise: written)
        } else {
            channel.write(outbound, promise: written)
        }
        logger.trace("SMTP command written", metadata: ["smtp.step": .string(step.rawValue)])
        return promise.futureResult
    }

    /// Waits for `future`; cancelling the task closes the connection, which ends the wait.
    func reply(to future: EventLoopFuture<SMTPReply>, step: SMTPStep) async throws -> SMTPReply {
        let channel = self.channel
        do {
            let reply = try await withTaskCancellationHandler {
                try await future.get()
            } onCancel: {
                channel.close(promise: nil)
            }
            logger.debug("SMTP reply", metadata: ["smtp.step": .string(step.rawValue), "smtp.code": .stringConvertible(reply.code)])
            return reply
        } catch {
            try Task.checkCancellation()
            throw failure(error, step: step)
        }
    }

    /// The `MailerError` for a reply that never came.
    func failure(_ error: any Error, step: SMTPStep) -> MailerError {
        let server = configuration.server
        guard let failure = error as? SMTPChannelFailure else {
            return MailerError(.connection, message: "The connection to \(server) failed at step \(step).", server: server, step: step, cause: error)
        }
        switch failure {
        case .timedOut(let stalled, let limit):
            return MailerError(
                .timeout,
                message: "\(server) did not reply within \(Duration.nanoseconds(limit.nanoseconds)) at step \(stalled); the server may be overloaded, or something on the way drops the connection.",
                server: server, step: stalled)
        case .closed:
            return MailerError(.connection, message: "\(server) closed the connection at step \(step).", server: server, step: step)
        case .malformedReply(let parserError):
            return MailerError(
                .protocolViolation, message: "\(server) sent a malformed reply at step \(step): \(parserError.message)",
                server: server, step: step, cause: parserError)
        case .clearTextAfterStartTLS:
            return MailerError(
                .tls, message: "\(server) sent data in the clear after agreeing to STARTTLS; something on the way may be tampering with the connection.",
                server: server, step: step)
        case .transport(let cause) where step == .tlsHandshake || (configuration.implicitTLS && step == .greeting):
            return MailerError(
                .tls, message: "The TLS handshake with \(server) failed; check that its certificate is valid for \(configuration.host) and trusted (\(configuration.trust)).",
                server: server, step: step, cause: cause)
        case .transport(let cause):
            return MailerError(.connection, message: "The connection to \(server) failed at step \(step).", server: server, step: step, cause: cause)
        }
    }

    /// The error for a reply the session cannot go on after (a refused greeting, EHLO, RSET).
    func refusal(_ reply: SMTPReply, step: SMTPStep, code: MailerError.Code = .refused) -> MailerError {
        MailerError(code, message: "\(configuration.server) answered \(step) with \(reply).", server: configuration.server, step: step, reply: reply)
    }

    private static func connectionError(_ error: any Error, configuration: SMTPConfiguration) -> MailerError {
        let server = configuration.server
        if case ChannelError.connectTimeout = error {
            return MailerError(
                .timeout, message: "Could not connect to \(server) within \(configuration.timeouts.connect); check the host and port, and that a firewall lets SMTP through.",
                server: server, step: .connect, cause: error)
        }
        return MailerError(
            .connection, message: "Could not connect to \(server); check the host and port, and that the server is running.",
            server: server, step: .connect, cause: error)
    }

    /// The name to send in SNI and check the certificate against: none for an address.
    static func serverHostname(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    private static func makeTLSContext(_ configuration: SMTPConfiguration) throws -> NIOSSLContext? {
        guard configuration.startTLS != .never || configuration.implicitTLS else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        switch configuration.trust {
        case .systemRoots:
            tls.trustRoots = .default
        case .certificateFile(let path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw MailerError(
                    .invalidConfiguration, message: "The CA certificate file \(path) to trust for \(configuration.server) cannot be read.",
                    server: configuration.server)
            }
            tls.trustRoots = .file(path)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw MailerError(
                .invalidConfiguration, message: "The TLS settings for \(configuration.server) cannot be used (trust: \(configuration.trust)).",
                server: configuration.server, cause: error)
        }
    }
}
