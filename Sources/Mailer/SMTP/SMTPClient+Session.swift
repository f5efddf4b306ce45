import Foundation
import NIOCore
import NIOSSL

/// Opening the session: greeting, EHLO, STARTTLS, AUTH.
extension SMTPClient {
    func open(tls: NIOSSLContext?) async throws {
        let greeting = try await exchange(nil, step: .greeting)
        guard greeting.code == 220 else {
            throw refusal(greeting, step: .greeting, code: greeting.isPositiveCompletion ? .protocolViolation : .refused)
        }
        try await hello()
        if let tls, !configuration.implicitTLS { try await startTLSIfOffered(tls) }
        if let credentials = configuration.credentials { try await authenticate(credentials) }
        logger.debug("SMTP session ready", metadata: [
            "smtp.encrypted": .stringConvertible(isEncrypted),
            "smtp.pipelining": .stringConvertible(capabilities.supports("PIPELINING")),
        ])
    }

    /// EHLO, or HELO when the server does not know EHLO (a 5xx): then no extensions.
    private func hello() async throws {
        let ehlo = try await exchange("EHLO \(configuration.localName)", step: .ehlo)
        if ehlo.isPositiveCompletion {
            capabilities = SMTPCapabilities(ehloReply: ehlo)
            return
        }
        guard ehlo.isPermanentNegative else { throw refusal(ehlo, step: .ehlo) }
        let helo = try await exchange("HELO \(configuration.localName)", step: .helo)
        guard helo.isPositiveCompletion else { throw refusal(helo, step: .helo) }
        capabilities = .none
    }

    private func startTLSIfOffered(_ tls: NIOSSLContext) async throws {
        let server = configuration.server
        guard capabilities.supports("STARTTLS") else {
            guard configuration.startTLS != .required else {
                throw MailerError(
                    .tls, message: "\(server) does not offer STARTTLS, which the configuration requires; use a server or port that offers it, or set STARTTLS to if-offered.",
                    server: server, step: .startTLS)
            }
            logger.warning("The SMTP server does not offer STARTTLS; sending in the clear")
            return
        }
        let reply = try await exchange("STARTTLS", step: .startTLS)
        guard reply.code == 220 else {
            guard configuration.startTLS == .ifOffered, reply.isTransientNegative || reply.isPermanentNegative else {
                throw refusal(reply, step: .startTLS, code: .tls)
            }
            logger.warning("The SMTP server refused STARTTLS; sending in the clear", metadata: ["smtp.reply": .string(reply.description)])
            return
        }
        try await handshake(tls)
        isEncrypted = true
        try await hello()  // RFC 3207 §4.2: forget what was said in the clear
    }

    /// Puts TLS in front of the SMTP handler and waits until the handshake completes.
    private func handshake(_ tls: NIOSSLContext) async throws {
        let host = configuration.host
        let serverHostname = Self.serverHostname(host)
        let timeout = TimeAmount(configuration.timeouts.tlsHandshake)
        let channel = self.channel
        let done = channel.eventLoop.flatSubmit { () -> EventLoopFuture<Void> in
            let promise = channel.eventLoop.makePromise(of: Void.self)
            do {
                let sync = channel.pipeline.syncOperations
                let ssl = try NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                if try sync.handler(type: SMTPChannelHandler.self).expectHandshake(timeout: timeout, promise: promise) {
                    try sync.addHandler(ssl, position: .first)
                }
            } catch {
                promise.fail(SMTPChannelFailure.transport(error))
            }
            return promise.futureResult
        }
        do {
            try await done.get()
        } catch {
            throw failure(error, step: .tlsHandshake)
        }
    }

    /// AUTH PLAIN when offered (one round trip), else AUTH LOGIN; only over TLS unless the
    /// configuration explicitly allows otherwise.
    private func authenticate(_ credentials: SMTPConfiguration.Credentials) async throws {
        let server = configuration.server
        guard isEncrypted || configuration.allowsAuthenticationWithoutTLS else {
            throw MailerError(
                .authentication, message: "Credentials are configured for \(server) but the connection is not encrypted, so the password is not sent; require STARTTLS.",
                server: server, step: .authentication)
        }
        let mechanisms = capabilities.authenticationMechanisms
        let reply: SMTPReply
        if mechanisms.contains("PLAIN") {
            reply = try await exchange("AUTH PLAIN " + base64("\0\(credentials.username)\0\(credentials.password)"), step: .authentication)
        } else if mechanisms.contains("LOGIN") {
            let start = try await exchange("AUTH LOGIN", step: .authentication)
            guard start.code == 334 else { throw credentialsRefused(start, credentials) }
            let user = try await exchange(base64(credentials.username), step: .authentication)
            guard user.code == 334 else { throw credentialsRefused(user, credentials) }
            reply = try await exchange(base64(credentials.password), step: .authentication)
        } else if mechanisms.isEmpty {
            throw MailerError(
                .authentication, message: "\(server) does not offer AUTH; remove the credentials, or use the server's submission port.",
                server: server, step: .authentication)
        } else {
            throw MailerError(
                .authentication, message: "\(server) offers AUTH \(mechanisms.sorted().joined(separator: " ")) but neither PLAIN nor LOGIN, the mechanisms Paperboy speaks.",
                server: server, step: .authentication)
        }
        guard reply.code == 235 else { throw credentialsRefused(reply, credentials) }
    }

    private func credentialsRefused(_ reply: SMTPReply, _ credentials: SMTPConfiguration.Credentials) -> MailerError {
        MailerError(
            .authentication, message: "\(configuration.server) refused to log in user \(MailerError.quoted(credentials.username)): \(reply).",
            server: configuration.server, step: .authentication, reply: reply)
    }

    private func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }
}
