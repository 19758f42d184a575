import NIOCore
import NIOWebSocket
import Signaling

/// One signaling WebSocket after the upgrade, as a NIO channel handler: no task per
/// connection, so an idle connection costs only its channel and pipeline.
///
/// Text messages go to the ``SignalingService``; what the service sends is written to the
/// channel when it is writable (else dropped and counted by the service). Pings are
/// answered; a close frame is echoed (RFC 6455 §5.5.1); 30 s without any frame from the
/// peer sends a ping, 30 s more closes the connection.
final class SignalingWebSocketConnection: ChannelInboundHandler, SignalingConnectionSink, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Set once at registration (on the event loop, before any read).
    private var id: SignalingConnectionID?
    private let service: SignalingService
    private let channel: any Channel
    private var awaitingPong = false

    init(service: SignalingService, channel: any Channel) {
        self.service = service
        self.channel = channel
    }

    /// Registers with the service; a refusal closes with 4400 ClientLimitExceededException.
    func register(_ admitted: SignalingAdmission.Admitted) {
        do {
            id = try service.open(channelARN: admitted.channel.arn, messageTTL: Double(admitted.channel.messageTtlSeconds), peer: admitted.peer, sink: self)
        } catch {
            close(code: .unknown(4400), reason: "ClientLimitExceededException: The channel already has \(service.limits.maxViewers) viewers")
        }
    }

    // MARK: SignalingConnectionSink (any thread, under the service's lock)

    /// Writes are always enqueued on the event loop, never performed inline: a write can
    /// close the channel, whose `channelInactive` calls back into the service.
    func send(_ text: String) -> Bool {
        guard channel.isWritable else { return false }
        let channel = self.channel
        channel.eventLoop.execute {
            var buffer = channel.allocator.buffer(capacity: text.utf8.count)
            buffer.writeString(text)
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: buffer), promise: nil)
        }
        return true
    }

    func close(reason: String) {
        close(code: .goingAway, reason: reason)
    }

    private func close(code: WebSocketErrorCode, reason: String) {
        let channel = self.channel
        channel.eventLoop.execute {
            var buffer = channel.allocator.buffer(capacity: 2 + reason.utf8.count)
            buffer.write(webSocketErrorCode: code)
            buffer.writeString(String(reason.utf8.prefix(123)) ?? "")
            channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    // MARK: ChannelInboundHandler (event loop)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        awaitingPong = false
        switch frame.opcode {
        case .text:
            guard let id else { return }
            var payload = frame.unmaskedData
            service.receive(id, text: payload.readString(length: payload.readableBytes) ?? "")
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readWebSocketErrorCode() ?? .normalClosure
            var echo = context.channel.allocator.buffer(capacity: 2)
            echo.write(webSocketErrorCode: code)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: echo))).whenComplete { _ in
                channel.close(promise: nil)
            }
        default:
            break  // binary messages and pongs carry nothing for signaling
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if awaitingPong {
            context.close(promise: nil)
        } else {
            awaitingPong = true
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(capacity: 0))), promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let id { service.disconnect(id) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
