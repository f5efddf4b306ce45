import Foundation
import NIOCore
import NIOHTTP1

/// Answers each request on one connection with what the ledger decides: a recorded body, or a
/// fault (a status, a pause, a cut-short body, a reset).
final class ReplayHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let ledger: ReplayLedger
    private var head: HTTPRequestHead?

    init(ledger: ReplayLedger) {
        self.ledger = ledger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let reply = ledger.reply(
                method: head.method.rawValue, target: head.uri, userAgent: head.headers.first(name: "User-Agent"))
            if reply.delay > .zero {
                let pause = TimeAmount.nanoseconds(Int64(reply.delay.components.seconds) * 1_000_000_000
                    + reply.delay.components.attoseconds / 1_000_000_000)
                context.eventLoop.assumeIsolated().scheduleTask(in: pause) {
                    self.send(reply, to: head, context: context)
                }
            } else {
                send(reply, to: head, context: context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func send(_ reply: ReplayReply, to request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }  // the client gave up while we paused
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: reply.contentType)
        headers.add(name: "Content-Length", value: String(reply.body.count))
        if let retryAfter = reply.retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
        let status = HTTPResponseStatus(statusCode: reply.status)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                      promise: nil)
        let sent = reply.bytesBeforeReset ?? reply.body.count
        var written = context.eventLoop.makeSucceededVoidFuture()
        if sent > 0 {
            let bytes = context.channel.allocator.buffer(bytes: reply.body.prefix(sent))
            written = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(bytes))))
        }
        if reply.bytesBeforeReset != nil {
            // Drop the connection mid-body, once the promised part has left.
            context.flush()
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        let keepAlive = request.isKeepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
