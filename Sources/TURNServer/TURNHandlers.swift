import NIOCore
import NetworkAddress
import TURN

/// The UDP listener: every datagram goes to the engine; writes go out at the end of the burst.
final class TURNDatagramHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let engine: TURNEngine

    init(engine: TURNEngine) {
        self.engine = engine
    }

    func channelActive(context: ChannelHandlerContext) {
        engine.attachDatagramListener(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        engine.datagram(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        engine.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors surface here as ECONNREFUSED and the like: not fatal for a UDP listener.
    }
}

/// A TCP or TLS client connection, after ``TURNStreamFramer``.
final class TURNStreamHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let engine: TURNEngine
    private let transport: TURNTransport
    private var tuple: TURNFiveTuple?

    init(engine: TURNEngine, transport: TURNTransport) {
        self.engine = engine
        self.transport = transport
    }

    func channelActive(context: ChannelHandlerContext) {
        if let client = context.channel.remoteAddress?.transportAddress, let server = context.channel.localAddress?.transportAddress {
            let tuple = TURNFiveTuple(transport: transport, client: client, server: server)
            self.tuple = tuple
            engine.streamOpened(tuple, channel: context.channel)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let tuple else { return }
        engine.fromClient(unwrapInboundIn(data), tuple: tuple)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        engine.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let tuple { engine.streamClosed(tuple) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A relay socket: datagrams from peers go to the engine.
final class TURNRelayHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let id: AllocationID
    private let engine: TURNEngine

    init(id: AllocationID, engine: TURNEngine) {
        self.id = id
        self.engine = engine
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        engine.fromPeer(id, unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        engine.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
