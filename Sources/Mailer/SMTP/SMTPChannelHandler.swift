import NIOCore
import NIOTLS

/// A reply the client waits for: which step it answers, how long it may take, who waits.
struct SMTPExpectation: Sendable {
    var step: SMTPStep
    var timeout: TimeAmount
    var promise: EventLoopPromise<SMTPReply>
}

/// What the client writes into the channel: bytes whose reply it awaits, or only a reply (the
/// greeting, which comes unasked).
enum SMTPOutbound: Sendable {
    case command(ByteBuffer, SMTPExpectation)
    case reply(SMTPExpectation)
}

/// Why a reply never came; `SMTPClient` turns it into a `MailerError` naming server and step.
enum SMTPChannelFailure: Error {
    case timedOut(SMTPStep, TimeAmount)
    case closed
    case malformedReply(MailerError)
    case clearTextAfterStartTLS
    case transport(any Error)
}

/// Pairs replies with the commands that asked for them, in order, which is all pipelining
/// needs: each expectation is queued as its command is written, and each reply parsed fulfils
/// the oldest. Each expectation has its own timer. Any failure (timeout, a malformed reply, the
/// server closing) fails every waiting expectation and closes the connection, because after it
/// no later reply can be trusted to answer the command it seems to.
final class SMTPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPOutbound
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        var expectation: SMTPExpectation
        var timer: Scheduled<Void>?
    }

    private struct Handshake {
        var promise: EventLoopPromise<Void>
        var timer: Scheduled<Void>?
    }

    private var parser = SMTPReplyParser()
    private var waiting = CircularBuffer<Waiting>()
    /// Replies that came before anyone asked (the greeting, a 421 before closing).
    private var unclaimed = CircularBuffer<SMTPReply>()
    private var handshake: Handshake?
    private var failure: SMTPChannelFailure?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .command(let bytes, let expectation):
            expect(expectation, context: context)
            context.write(wrapOutboundOut(bytes), promise: promise)
        case .reply(let expectation):
            expect(expectation, context: context)
            promise?.succeed()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        guard handshake == nil else {
            fail(.clearTextAfterStartTLS, context: context)
            return
        }
        let bytes = unwrapInboundIn(data)
        parser.append(bytes.readableBytesView)
        do {
            while let reply = try parser.next() {
                if let next = waiting.popFirst() {
                    next.timer?.cancel()
                    next.expectation.promise.succeed(reply)
                } else if unclaimed.count < 16 {
                    unclaimed.append(reply)
                } else {
                    throw MailerError(.protocolViolation, message: "The server sent more than 16 replies nobody asked for.")
                }
            }
        } catch let error as MailerError {
            fail(.malformedReply(error), context: context)
        } catch {
            fail(.transport(error), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event, let handshake {
            self.handshake = nil
            handshake.timer?.cancel()
            handshake.promise.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(.transport(error), context: context)
    }

    /// Arms the wait for the TLS handshake that a `NIOSSLClientHandler` added next will start.
    /// Refuses if anything arrived after STARTTLS's 220: a man in the middle may have injected
    /// replies in the clear for the client to read as if they came over TLS (CVE-2011-0411).
    /// Returns false, having failed `promise`, when TLS must not start.
    func expectHandshake(timeout: TimeAmount, promise: EventLoopPromise<Void>) -> Bool {
        guard let context else {
            promise.fail(SMTPChannelFailure.closed)
            return false
        }
        if let failure {
            promise.fail(failure)
            return false
        }
        if parser.hasBufferedInput || !unclaimed.isEmpty {
            promise.fail(SMTPChannelFailure.clearTextAfterStartTLS)
            fail(.clearTextAfterStartTLS, context: context)
            return false
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.fail(.timedOut(.tlsHandshake, timeout), context: context)
        }
        handshake = Handshake(promise: promise, timer: timer)
        return true
    }

    private func expect(_ expectation: SMTPExpectation, context: ChannelHandlerContext) {
        if let reply = unclaimed.popFirst() {
            expectation.promise.succeed(reply)
        } else if let failure {
            expectation.promise.fail(failure)
        } else {
            let timer = context.eventLoop.assumeIsolated().scheduleTask(in: expectation.timeout) {
                self.fail(.timedOut(expectation.step, expectation.timeout), context: context)
            }
            waiting.append(Waiting(expectation: expectation, timer: timer))
        }
    }

    /// Fails everything waiting with `reason` (the first failure wins) and closes the channel.
    private func fail(_ reason: SMTPChannelFailure, context: ChannelHandlerContext) {
        let reason = failure ?? reason
        let firstFailure = failure == nil
        failure = reason
        while let next = waiting.popFirst() {
            next.timer?.cancel()
            next.expectation.promise.fail(reason)
        }
        if let handshake {
            self.handshake = nil
            handshake.timer?.cancel()
            handshake.promise.fail(reason)
        }
        if firstFailure { context.close(promise: nil) }
    }
}
